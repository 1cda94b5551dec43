"""Resource objects passed where a value is expected (``vpc_id=vpc``).

The SDK sends such an input as a resource reference. The real engine hands a provider that does not
take references (pulumi-aws does not) the referenced resource's id — or its URN for a component — so
the program works, by accident. The mock monitor instead re-creates the referenced resource inside the
request, which deadlocks in a preview. We do what the engine does, before the mock sees the request,
and note the mistake so the user can write ``vpc.id``.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import struct_pb2  # type: ignore[import-untyped]  # no stubs installed
from pulumi.runtime import rpc

from supportops.inventory.offline_plan.urns import normalize_urn


@dataclass(frozen=True, slots=True)
class Downgrade:
    path: str  # camelCase input path, dotted
    urn: str  # the referenced resource
    by_id: bool  # True: replaced by its id; False: by its URN (a component)

    def explain(self, owner: str) -> str:
        target = self.urn.rsplit("::", 1)[-1]
        kind = self.urn.split("::")[2].rsplit("$", 1)[-1] if self.urn.count("::") >= 3 else "resource"
        if self.by_id:
            passed, fix = "id", f"write `{target}.id` (or the output you mean)"
        else:  # a component has no id
            passed, fix = "URN", f"pass the output of `{target}` you mean"
        return (
            f"{owner}: input '{self.path}' was given the resource object '{target}' ({kind}) where a value "
            f"is expected; the engine passes its {passed} — {fix}"
        )


def _reference(value: struct_pb2.Value) -> tuple[str, str] | None:
    if value.WhichOneof("kind") != "struct_value":
        return None
    fields = value.struct_value.fields
    sig = fields.get(rpc._special_sig_key)
    if sig is None or sig.string_value != rpc._special_resource_sig:
        return None
    urn = fields["urn"].string_value if "urn" in fields else ""
    ref_id = fields["id"].string_value if "id" in fields else ""
    return urn, ref_id


_SIGNATURE = rpc._special_resource_sig.encode()


def downgrade_references(struct: struct_pb2.Struct) -> list[Downgrade]:
    """Replace every resource reference in ``struct`` (in place) by the referenced id or URN."""
    found: list[Downgrade] = []
    if _SIGNATURE not in struct.SerializeToString():  # the common case, checked in C
        return found

    def visit(value: struct_pb2.Value, path: str) -> None:
        reference = _reference(value)
        if reference is not None:
            urn, ref_id = reference
            value.string_value = ref_id or urn
            found.append(Downgrade(path, normalize_urn(urn), bool(ref_id)))
            return
        kind = value.WhichOneof("kind")
        if kind == "struct_value":
            for key in value.struct_value.fields:
                visit(value.struct_value.fields[key], f"{path}.{key}")
        elif kind == "list_value":
            for index, item in enumerate(value.list_value.values):
                visit(item, f"{path}.{index}")

    for key in struct.fields:
        visit(struct.fields[key], key)
    return found
