"""IAM Access Analyzer analyzers (aws:accessanalyzer/analyzer:Analyzer): one list call per page."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out
from supportops.inventory.live.reader import Reader

SERVICE: Final = "accessanalyzer"
ANALYZER: Final = "aws:accessanalyzer/analyzer:Analyzer"
TYPES: Final = (ANALYZER,)
GLOBAL: Final = False
CALLS: Final = (("accessanalyzer", "ListAnalyzers"),)


def collect(read: Reader, out: Out) -> None:
    for analyzer in read.pages("ListAnalyzers", "analyzers"):
        tags = dict(analyzer.get("tags") or {})
        out.add(
            ANALYZER,
            analyzer["name"],
            {
                "analyzerName": analyzer["name"],
                "arn": analyzer.get("arn"),
                "type": analyzer.get("type"),
                "status": analyzer.get("status"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=analyzer.get("arn"),
        )
