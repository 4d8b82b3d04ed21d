
resource "aws_cloudwatch_metric_alarm" "@LABEL@_@ALARM@" {
  alarm_name = "@FUNCTION_NAME@-@ALARM@"
  alarm_description = "@NAME@ @ALARM_WHAT@"
  namespace = "AWS/Lambda"
  metric_name = "@METRIC@"
  statistic = "@STATISTIC@"
  period = 300
  evaluation_periods = 1
  threshold = @THRESHOLD@
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data = "notBreaching"
  alarm_actions = [var.alarm_topic_arn]
  ok_actions = [var.alarm_topic_arn]

  dimensions = {
    FunctionName = module.@LABEL@.lambda_function_name
  }
}
