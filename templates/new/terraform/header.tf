# @NAME@: @DESCRIPTION@.
# Written by dlc new --source @SOURCE@ for the infrastructure repository.
# Declared once there, not here: var.environment, var.functions_path (the
# dlc checkout's functions/), var.lambda_role_arn, var.raw_bucket,
# var.alarm_topic_arn and var.log_aggregation_destination_arn.
