"""Loading `pulumi stack export` and `pulumi preview --json` files into the inventory."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_files import export_document, preview_document

from supportops.errors import BadInput
from supportops.inventory.model import SECRET_SIG, SIG_KEY, UNKNOWN, Inventory, SourceKind
from supportops.inventory.sources.load import load_inventory

AWS_PROVIDER = "urn:pulumi:prod::shop::pulumi:providers:aws::default_7_0_0"
BUCKET = "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::assets"
QUEUE = "urn:pulumi:prod::shop::aws:sqs/queue:Queue::jobs"
STACK = "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod"


def _export() -> dict[str, Any]:
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-01-01T00:00:00Z", "magic": "x", "version": "v3.200.0"},
            "secrets_providers": {"type": "passphrase", "state": {}},
            "resources": [
                {"urn": STACK, "custom": False, "type": "pulumi:pulumi:Stack",
                 "outputs": {"bucketName": "assets-1234"}},
                {"urn": AWS_PROVIDER, "custom": True, "id": "prov-id", "type": "pulumi:providers:aws",
                 "inputs": {"region": "eu-west-1", "version": "7.0.0"}, "parent": STACK},
                {"urn": BUCKET, "custom": True, "id": "assets-1234", "type": "aws:s3/bucket:Bucket",
                 "parent": STACK, "provider": f"{AWS_PROVIDER}::prov-id", "dependencies": [],
                 "inputs": {"bucket": "assets-1234",
                            "policy": {SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"}},
                 "outputs": {"arn": "arn:aws:s3:::assets-1234"},
                 "propertyDependencies": {}, "created": "2026-01-01T00:00:00Z"},
                {"urn": QUEUE, "custom": True, "id": "q", "type": "aws:sqs/queue:Queue", "parent": STACK,
                 "provider": f"{AWS_PROVIDER}::prov-id", "dependencies": [BUCKET],
                 "inputs": {"region": "us-west-2", "kmsMasterKeyId": UNKNOWN,
                            "tags": {SIG_KEY: SECRET_SIG, "plaintext": "{\"team\":\"ops\"}"}}},
            ],
        },
    }


def _write(tmp_path: Path, document: Any, name: str = "state.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _error(path: Path, kind: SourceKind = SourceKind.STACK_EXPORT) -> str:
    with pytest.raises(BadInput) as caught:
        load_inventory(path, kind)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_stack_export_resources_relations_and_hash(tmp_path: Path) -> None:
    path = _write(tmp_path, _export())
    inventory = load_inventory(path, SourceKind.STACK_EXPORT)
    assert (inventory.project, inventory.stack) == ("shop", "prod")
    assert [r.urn for r in inventory] == [STACK, AWS_PROVIDER, BUCKET, QUEUE]
    bucket = inventory.by_urn(BUCKET)
    queue = inventory.by_urn(QUEUE)
    assert bucket is not None and queue is not None
    assert bucket.name == "assets" and bucket.id == "assets-1234" and bucket.parent == STACK
    assert bucket.provider == AWS_PROVIDER  # "urn::id" reference resolved to the provider's URN
    assert queue.dependencies == [BUCKET]
    assert inventory.outputs == {"bucketName": "assets-1234"}
    assert inventory.source.kind is SourceKind.STACK_EXPORT
    assert inventory.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_region_from_inputs_else_provider(tmp_path: Path) -> None:
    inventory = load_inventory(_write(tmp_path, _export()), SourceKind.STACK_EXPORT)
    assert inventory.by_urn(BUCKET).region == "eu-west-1"  # type: ignore[union-attr]
    assert inventory.by_urn(QUEUE).region == "us-west-2"  # type: ignore[union-attr]


def test_secrets_and_unknowns_keep_pulumi_encodings(tmp_path: Path) -> None:
    inventory = load_inventory(_write(tmp_path, _export()), SourceKind.STACK_EXPORT)
    bucket = inventory.by_urn(BUCKET)
    queue = inventory.by_urn(QUEUE)
    assert bucket is not None and queue is not None
    assert bucket.inputs["policy"] == {SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"}
    assert bucket.get("policy") == UNKNOWN  # an opaque secret is not a known value
    assert queue.get("kmsMasterKeyId") == UNKNOWN
    # --show-secrets writes the value JSON-encoded: rules see the value itself (here a map of tags).
    assert queue.get("tags") == {"team": "ops"}


def test_resources_pending_deletion_are_left_out(tmp_path: Path) -> None:
    document = _export()
    old_bucket = dict(document["deployment"]["resources"][2], delete=True, id="assets-old")
    document["deployment"]["resources"].append(old_bucket)
    inventory = load_inventory(_write(tmp_path, document), SourceKind.STACK_EXPORT)
    assert [r.id for r in inventory.of_type("aws:s3/bucket:Bucket")] == ["assets-1234"]


def test_offline_plan_round_trips_through_export(tmp_path: Path, foundation_plan: Inventory) -> None:
    path = _write(tmp_path, export_document(foundation_plan))
    loaded = load_inventory(path, SourceKind.STACK_EXPORT)
    assert [r.urn for r in loaded] == [r.urn for r in foundation_plan]
    for original, again in zip(foundation_plan, loaded, strict=True):
        assert (again.type, again.name, again.parent, again.provider, again.dependencies) == (
            original.type, original.name, original.parent, original.provider, original.dependencies)
        assert again.inputs == original.inputs
        if original.custom and original.type.startswith("aws:"):
            assert again.region == original.region


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(version=2), "state.json: version: deployment version 2 is not supported"),
        (lambda d: d.pop("version"), "not a `pulumi stack export` file"),
        (lambda d: d["deployment"]["resources"][2].pop("urn"),
         "state.json: deployment.resources[2].urn: required field is missing"),
        (lambda d: d["deployment"]["resources"][2].update(type="Bucket"),
         "deployment.resources[2].type: unknown resource type 'Bucket'"),
        (lambda d: d["deployment"]["resources"][2].update(type="aws:s3/bucket"),
         "unknown resource type 'aws:s3/bucket'"),
        (lambda d: d["deployment"]["resources"][3].update(inputs=["not", "a", "map"]),
         "deployment.resources[3].inputs"),
        (lambda d: d["deployment"].update(resources={"urn": STACK}), "deployment.resources"),
        (lambda d: d["deployment"]["resources"].append(dict(d["deployment"]["resources"][2])),
         "deployment.resources[4].urn: duplicate URN"),
        (lambda d: d.update(steps=[]) or d.pop("deployment"), "pass it with --preview"),
    ],
)
def test_bad_stack_exports_give_one_line(tmp_path: Path, mutate: Any, expected: str) -> None:
    document = _export()
    mutate(document)
    assert expected in _error(_write(tmp_path, document))


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{\n  "version": 3,\n  "deployment": {"resources": [}\n}\n', encoding="utf-8")
    message = _error(path)
    assert message.startswith(f"{path}: line 3, column ")
    assert "not valid JSON" in message


def test_truncated_file_is_reported_as_truncated(tmp_path: Path) -> None:
    text = json.dumps(_export(), indent=2)
    path = tmp_path / "state.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    assert "unexpected end of file (truncated?)" in _error(path)


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty file"),
    (b"\xff\xfe\x00garbage", "line 1, column 1: not valid UTF-8"),
    (b"[1, 2]", "expected a JSON object"),
    (b'{"version": 3, "version": 3}', "duplicate key 'version'"),
    (b'{"version": NaN}', "NaN is not a JSON number"),
    (b'{"version": 1' + b"0" * 80 + b"}", "more than 64 digits"),
    (b"[" * 300 + b"]" * 300, "nested more than 256 levels deep"),
])
def test_other_unreadable_inputs(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    assert expected in _error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "absent.json")


def _preview(tmp_path: Path) -> Path:
    resources = copy.deepcopy(_export()["deployment"]["resources"])
    stack, provider, bucket, queue = resources
    old_topic = {"urn": "urn:pulumi:prod::shop::aws:sns/topic:Topic::old", "custom": True,
                 "type": "aws:sns/topic:Topic", "id": "t"}
    steps = [
        {"op": "same", "urn": STACK, "newState": stack},
        {"op": "same", "urn": AWS_PROVIDER, "newState": provider},
        {"op": "create-replacement", "urn": BUCKET, "newState": bucket, "oldState": bucket},
        {"op": "replace", "urn": BUCKET, "newState": bucket, "oldState": bucket},
        {"op": "update", "urn": QUEUE, "newState": queue, "diffReasons": ["tags"]},
        {"op": "delete", "urn": old_topic["urn"], "oldState": old_topic},
        {"op": "delete-replaced", "urn": BUCKET, "oldState": bucket},
    ]
    config = {"aws:region": "eu-west-1", "supportops:environment": "prod", "supportops:phase": "foundation",
              "supportops:allowedRegions": '["eu-west-1","us-west-2"]', "supportops:crmApiToken": "[secret]"}
    document = {"config": config, "steps": steps, "changeSummary": {"same": 2, "replace": 1},
                "duration": 1000}
    return _write(tmp_path, document, "preview.json")


def test_preview_keeps_new_states_and_drops_deletions(tmp_path: Path) -> None:
    path = _preview(tmp_path)
    inventory = load_inventory(path, SourceKind.PREVIEW)
    assert [r.urn for r in inventory] == [STACK, AWS_PROVIDER, BUCKET, QUEUE]
    assert inventory.source.kind is SourceKind.PREVIEW
    assert inventory.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert inventory.by_urn(BUCKET).provider == AWS_PROVIDER  # type: ignore[union-attr]
    assert inventory.by_urn(QUEUE).get("kmsMasterKeyId") == UNKNOWN  # type: ignore[union-attr]


def test_preview_config_is_decoded(tmp_path: Path) -> None:
    inventory = load_inventory(_preview(tmp_path), SourceKind.PREVIEW)
    assert inventory.config["supportops:allowedRegions"] == ["eu-west-1", "us-west-2"]
    assert inventory.config["supportops:crmApiToken"] == {"secure": "[secret]"}
    assert inventory.config["aws:region"] == "eu-west-1"


def test_offline_plan_round_trips_through_preview(tmp_path: Path, foundation_plan: Inventory) -> None:
    path = _write(tmp_path, preview_document(foundation_plan), "preview.json")
    loaded = load_inventory(path, SourceKind.PREVIEW)
    assert [r.urn for r in loaded] == [r.urn for r in foundation_plan]
    assert loaded.config == foundation_plan.config


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"steps": [{"op": "create", "urn": BUCKET}]},
         "preview.json: steps[0].newState: missing for op 'create'"),
        ({"steps": [{"op": "create"}]}, "steps[0].urn: required field is missing"),
        ({"steps": [{"op": "create", "urn": BUCKET, "newState": {"urn": BUCKET, "type": "s3-bucket"}}]},
         "steps[0].newState.type: unknown resource type 's3-bucket'"),
        ({"version": 3, "deployment": {}}, "pass it with --state"),
        ({"hello": "world"}, "not a `pulumi preview --json` file"),
    ],
)
def test_bad_previews_give_one_line(tmp_path: Path, document: Any, expected: str) -> None:
    assert expected in _error(_write(tmp_path, document, "preview.json"), SourceKind.PREVIEW)


def _resource(document: dict[str, Any], index: int) -> dict[str, Any]:
    resource: dict[str, Any] = document["deployment"]["resources"][index]
    return resource


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        # only a JSON boolean marks a resource as pending deletion (the string would drop it)
        (lambda d: _resource(d, 2).update(delete="true"),
         "deployment.resources[2].delete: Input should be a valid boolean (got 'true')"),
        (lambda d: _resource(d, 2).update(custom=1), "deployment.resources[2].custom"),
        # a garbage provider region must not become the stack's region
        (lambda d: _resource(d, 1)["inputs"].update(region="eu-west-1; drop"),
         "deployment.resources[1].inputs.region: not an AWS region name (got 'eu-west-1; drop')"),
        (lambda d: _resource(d, 1)["inputs"].update(region=0),
         "deployment.resources[1].inputs.region: not an AWS region name (got 0)"),
        (lambda d: _resource(d, 3)["inputs"].update(region=""),
         "deployment.resources[3].inputs.region: not an AWS region name"),
        (lambda d: _resource(d, 2).update(provider="urn:pulumi:prod::shop::pulumi:providers:aws::gone::x"),
         "deployment.resources[2].provider: names no provider resource of this file"),
        (lambda d: _resource(d, 2).update(provider=f"{BUCKET}::assets-1234"),
         "deployment.resources[2].provider: names no provider resource"),
        (lambda d: d["deployment"].update(resources=[]), "deployment.resources: the export holds no"),
        (lambda d: d["deployment"].pop("resources"), "deployment.resources: the export holds no"),
        (lambda d: [r.update(delete=True) for r in d["deployment"]["resources"]],
         "deployment.resources: every resource is pending deletion"),
    ],
)
def test_inputs_that_would_fool_a_verdict_are_bad_input(tmp_path: Path, mutate: Any, expected: str) -> None:
    document = _export()
    mutate(document)
    assert expected in _error(_write(tmp_path, document))


def test_a_stack_with_only_its_root_resource_loads_as_empty(tmp_path: Path) -> None:
    document = _export()
    document["deployment"]["resources"] = document["deployment"]["resources"][:1]
    inventory = load_inventory(_write(tmp_path, document), SourceKind.STACK_EXPORT)
    assert [r.type for r in inventory] == ["pulumi:pulumi:Stack"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"changeSummary": {}}, "preview.json: steps: the preview has no steps"),
        ({"steps": [], "changeSummary": {"create": 12}},
         "steps: changeSummary counts 12 but the preview has no steps (truncated?)"),
        ({"steps": [{"op": "delete", "urn": BUCKET}]}, "steps: every step removes its resource"),
        ({"steps": [{"op": "create", "urn": BUCKET, "newState": {
            "urn": BUCKET, "type": "aws:s3/bucket:Bucket", "delete": "false"}}]},
         "steps[0].newState.delete: Input should be a valid boolean"),
        ({"steps": [{"op": "create", "urn": BUCKET, "newState": {
            "urn": BUCKET, "type": "aws:s3/bucket:Bucket", "provider": f"{AWS_PROVIDER}::prov-id"}}]},
         "steps[0].newState.provider: names no provider resource of this file"),
    ],
)
def test_empty_or_dangling_previews_are_bad_input(tmp_path: Path, document: Any, expected: str) -> None:
    assert expected in _error(_write(tmp_path, document, "preview.json"), SourceKind.PREVIEW)
