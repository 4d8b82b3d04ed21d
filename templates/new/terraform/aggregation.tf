
module "@LABEL@_log_aggregation" {
  source = "./modules/log-aggregation"

  name = "@FUNCTION_NAME@"
  log_group_name = aws_cloudwatch_log_group.@LABEL@.name
  filter_pattern = ""
  destination_arn = var.log_aggregation_destination_arn
}
