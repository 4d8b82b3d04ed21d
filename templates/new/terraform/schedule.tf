
variable "@LABEL@_source_url" {
  description = "The JSON API @NAME@ pages through"
  type = string
}

variable "@LABEL@_source_secret_id" {
  description = "The Secrets Manager secret holding the API's token"
  type = string
}

resource "aws_cloudwatch_event_rule" "@LABEL@" {
  name = "@FUNCTION_NAME@"
  description = "Runs @NAME@"
  schedule_expression = "cron(15 3 * * ? *)"
}

resource "aws_cloudwatch_event_target" "@LABEL@" {
  rule = aws_cloudwatch_event_rule.@LABEL@.name
  target_id = "@LABEL@"
  arn = module.@LABEL@.lambda_function_arn
}

resource "aws_lambda_permission" "@LABEL@_events" {
  statement_id = "AllowExecutionFromEventBridge"
  action = "lambda:InvokeFunction"
  function_name = module.@LABEL@.lambda_function_name
  principal = "events.amazonaws.com"
  source_arn = aws_cloudwatch_event_rule.@LABEL@.arn
}
