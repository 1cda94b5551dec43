"""A content-addressed cache of derived results: offline plans (:mod:`.plans`) and, from the policies,
checkov's per-resource and per-file results. See :mod:`.store` for the entry format and safety."""
