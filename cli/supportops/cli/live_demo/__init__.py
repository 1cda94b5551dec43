"""The local live demo: the planned stack materialised into a moto server (dev and demo only), then
`comply --live` and `drift` run against it. In the CLI wing because it uses the planner, the rules'
relation index and the local endpoint together."""
