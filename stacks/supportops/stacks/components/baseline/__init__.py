"""The security baseline's detection, scanning and recording services (issue 20): GuardDuty,
Security Hub, Inspector, AWS Config, IAM Access Analyzer and the findings routing. Each service is
one component over the regions in scope; :mod:`.deploy` builds the ones the stack's config keeps."""
