"""Glue Data Catalog databases (aws:glue/catalogDatabase:CatalogDatabase) and the catalog's encryption
settings (aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings, one per region)."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out, camel
from supportops.inventory.live.reader import Reader

SERVICE: Final = "glue"
DATABASE: Final = "aws:glue/catalogDatabase:CatalogDatabase"
ENCRYPTION: Final = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"
TYPES: Final = (DATABASE, ENCRYPTION)
GLOBAL: Final = False
CALLS: Final = (("glue", "GetDatabases"), ("glue", "GetDataCatalogEncryptionSettings"))


def collect(read: Reader, out: Out) -> None:
    account = read.scope.account_id
    for database in read.pages("GetDatabases", "DatabaseList"):
        name = database["Name"]
        arn = f"arn:{read.scope.partition}:glue:{read.region}:{account}:database/{name}"
        tags = out.tags(arn)
        out.add(
            DATABASE,
            name,
            {
                "name": name,
                "arn": arn,
                "description": database.get("Description"),
                "locationUri": database.get("LocationUri"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
    settings = read.call("GetDataCatalogEncryptionSettings") or {}
    found = camel(settings.get("DataCatalogEncryptionSettings") or {})
    out.add(ENCRYPTION, account, {"catalogId": account, "dataCatalogEncryptionSettings": found})
