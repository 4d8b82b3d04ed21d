
module "@LABEL@" {
  source = "terraform-aws-modules/lambda/aws"

  function_name = "@FUNCTION_NAME@"
  description = "@DESCRIPTION@"
  handler = "lambda_function.lambda_handler"
  runtime = "python3.12"
  timeout = @TIMEOUT@
  memory_size = 1024
  source_path = "${var.functions_path}/@NAME@/src"
  layers = [@LAYERS_TF@]

  # dlc push deploys the code: Terraform owns the rest.
  ignore_source_code_hash = true

  create_role = false
  lambda_role = var.lambda_role_arn

  use_existing_cloudwatch_log_group = true

  environment_variables = {
@ENV_TF@
  }

  depends_on = [aws_cloudwatch_log_group.@LABEL@]
}
