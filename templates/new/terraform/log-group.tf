
resource "aws_cloudwatch_log_group" "@LABEL@" {
  name = "/aws/lambda/@FUNCTION_NAME@"
  retention_in_days = 14
}
