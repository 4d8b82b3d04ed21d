
variable "@LABEL@_stream_arn" {
  description = "The Kinesis Data Stream @NAME@ reads (@STREAM_WHAT@)"
  type = string
}

resource "aws_lambda_event_source_mapping" "@LABEL@" {
  event_source_arn = var.@LABEL@_stream_arn
  function_name = module.@LABEL@.lambda_function_arn
  starting_position = "TRIM_HORIZON"
  batch_size = 500
  maximum_batching_window_in_seconds = 60
  bisect_batch_on_function_error = true
  maximum_retry_attempts = 5
  maximum_record_age_in_seconds = 86400
}
