"""Quarterly access reviews: collect IAM and Amazon Connect principals, evaluate them against PCI DSS 7/8,
write a review campaign, record the reviewer's sign-off and apply signed decisions safely."""
