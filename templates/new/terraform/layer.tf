
data "aws_lambda_layer_version" "@LABEL@_@LAYER_LABEL@" {
  layer_name = "@LAYER_NAME@"
}
