"""The three phases, one `pulumi up` each: foundation, automation (self-service), analytics."""
