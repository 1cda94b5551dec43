"""Lambda function sources shipped by the stacks (each folder is one function's archive)."""
