"""Reports: the shared findings model, report formats and evidence bundles."""
