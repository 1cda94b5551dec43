"""What the mock engine answers: plausible physical names, ARNs and ids for new resources, every
other computed output their SDK declares (made up, and remembered as invented), the planned outputs
of earlier phases for StackReferences, and data sources (computed where they are pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pulumi

from supportops.inventory.offline_plan.invented import PLAN_ACCOUNT_ID, Context, Inventor
from supportops.inventory.offline_plan.invokes import PURE

# Packages whose resources get AWS-style names, ids and ARNs ("pulumi": providers, as before).
_AWS_PACKAGES = frozenset({"aws", "aws-native", "pulumi"})

# Outputs the inventor computes from the resource's own inputs (not made up): never marked invented.
_DERIVED_OUTPUTS = frozenset({"targetKeyArn"})

# Input property that carries the physical name, where it is not `name`.
_NAME_PROPERTY: dict[str, str] = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:lambda/function:Function": "name",
    "aws:cloudtrail/trail:Trail": "name",
    "aws:iam/role:Role": "name",
    "aws:kms/key:Key": "",  # keys have no name; aliases do
    "aws:sqs/queue:Queue": "name",
    "aws:connect/instance:Instance": "instanceAlias",
    "aws:customerprofiles/domain:Domain": "domainName",
    "aws:apigatewayv2/domainName:DomainName": "domainName",
    "aws:acm/certificate:Certificate": "",
}

# Resources whose id is a generated UUID (and the output that repeats it, if any).
_UUID_IDS: dict[str, str] = {"aws:kms/key:Key": "keyId", "aws:connect/instance:Instance": ""}

# Amazon Connect resources inside an instance: their id output and ARN path segment; their
# resource id is "<instanceId>:<id>" as in pulumi-aws.
_CONNECT_CHILDREN: dict[str, tuple[str, str]] = {
    "aws:connect/queue:Queue": ("queueId", "queue"),
    "aws:connect/hoursOfOperation:HoursOfOperation": ("hoursOfOperationId", "operating-hours"),
    "aws:connect/contactFlow:ContactFlow": ("contactFlowId", "contact-flow"),
    "aws:connect/contactFlowModule:ContactFlowModule": ("contactFlowModuleId", "flow-module"),
    "aws:connect/quickConnect:QuickConnect": ("quickConnectId", "transfer-destination"),
    "aws:connect/routingProfile:RoutingProfile": ("routingProfileId", "routing-profile"),
    "aws:connect/securityProfile:SecurityProfile": ("securityProfileId", "security-profile"),
    "aws:connect/user:User": ("userId", "agent"),
}

# Other computed outputs consumers read, as templates over region/account/name/id.
_EXTRA_OUTPUTS: dict[str, dict[str, str]] = {
    "aws:lex/v2modelsBotVersion:V2modelsBotVersion": {"botVersion": "1"},
    "aws-native:appintegrations:DataIntegration": {
        "dataIntegrationArn": "arn:aws:app-integrations:{region}:{account}:data-integration/{id}",
    },
    "aws-native:wisdom:KnowledgeBase": {
        "knowledgeBaseId": "{id}",
        "knowledgeBaseArn": "arn:aws:wisdom:{region}:{account}:knowledge-base/{id}",
    },
    "aws-native:wisdom:Assistant": {
        "assistantId": "{id}",
        "assistantArn": "arn:aws:wisdom:{region}:{account}:assistant/{id}",
    },
    "aws:apigatewayv2/api:Api": {
        "executionArn": "arn:aws:execute-api:{region}:{account}:{id}",
        "apiEndpoint": "https://{id}.execute-api.{region}.amazonaws.com",
    },
    "aws:lambda/function:Function": {
        "invokeArn": "arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:{region}:{account}:function:{name}/invocations",
    },
}

# ARN resource part per type, when it is not "<kind>/<name>" with kind = the type's module member.
_ARN_TEMPLATES: dict[str, str] = {
    "aws:s3/bucket:Bucket": "arn:aws:s3:::{name}",
    "aws:iam/role:Role": "arn:aws:iam::{account}:role/{name}",
    "aws:iam/policy:Policy": "arn:aws:iam::{account}:policy/{name}",
    "aws:iam/user:User": "arn:aws:iam::{account}:user/{name}",
    "aws:iam/group:Group": "arn:aws:iam::{account}:group/{name}",
    "aws:kms/key:Key": "arn:aws:kms:{region}:{account}:key/{id}",
    "aws:kms/alias:Alias": "arn:aws:kms:{region}:{account}:{name}",
    "aws:cloudwatch/logGroup:LogGroup": "arn:aws:logs:{region}:{account}:log-group:{name}",
    "aws:sqs/queue:Queue": "arn:aws:sqs:{region}:{account}:{name}",
    "aws:sns/topic:Topic": "arn:aws:sns:{region}:{account}:{name}",
    "aws:lambda/function:Function": "arn:aws:lambda:{region}:{account}:function:{name}",
    "aws:dynamodb/table:Table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "aws:kinesis/stream:Stream": "arn:aws:kinesis:{region}:{account}:stream/{name}",
    "aws:secretsmanager/secret:Secret": "arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
    "aws:cloudtrail/trail:Trail": "arn:aws:cloudtrail:{region}:{account}:trail/{name}",
    "aws:connect/instance:Instance": "arn:aws:connect:{region}:{account}:instance/{id}",
    "aws:acm/certificate:Certificate": "arn:aws:acm:{region}:{account}:certificate/{id}",
    "aws:customerprofiles/domain:Domain": "arn:aws:profile:{region}:{account}:domains/{name}",
    "aws:cloudwatch/eventBus:EventBus": "arn:aws:events:{region}:{account}:event-bus/{name}",
    "aws:cloudwatch/eventRule:EventRule": "arn:aws:events:{region}:{account}:rule/{name}",
}


def _module_and_kind(type_token: str) -> tuple[str, str]:
    package, _, rest = type_token.partition(":")
    module, _, member = rest.partition(":")
    module = module.split("/")[0] if module else package
    kind = member[:1].lower() + member[1:]
    return module, kind


class PlanMocks(pulumi.runtime.Mocks):
    """Deterministic answers: the same program and config always give the same inventory."""

    def __init__(
        self,
        region: str,
        stack_references: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        preview: bool = False,
    ) -> None:
        self.region = region
        self.stack_references = dict(stack_references or {})
        # In a preview the engine knows only the inputs of a new resource: everything computed
        # (ids, ARNs, generated names) is unknown to the resources that consume it.
        self.preview = preview
        self.inventor = Inventor(PLAN_ACCOUNT_ID)
        # Output names made up per (type, name): the recorder marks them invented.
        self.filled: dict[tuple[str, str], list[str]] = {}
        self.notes: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs = dict(args.inputs)
        if args.typ == "pulumi:pulumi:StackReference":
            ref = str(inputs.get("name", args.name))
            outputs = self.stack_references.get(ref)
            if outputs is None:
                outputs = self.stack_references.get(ref.split("/")[-1])
            if outputs is None:
                outputs = {}
                self.notes.append(
                    f"StackReference '{ref}' is not a stack planned with this one: its outputs are "
                    "empty, so every value read from it is None"
                )
            return ref, {"name": ref, "outputs": dict(outputs), "secretOutputNames": []}
        if self.preview:
            return None, inputs
        digest = hashlib.sha256(f"{args.typ}::{args.name}".encode()).hexdigest()
        region = str(inputs.get("region") or self.region)
        if args.custom and args.typ.split(":", 1)[0] not in _AWS_PACKAGES:
            # Another provider's resource (random, tls, docker…): no AWS names or ARNs, only an id
            # and the outputs its SDK declares, made up.
            made = self.inventor.resource_outputs(Context(args.typ, args.name, region), inputs)
            self.filled[(args.typ, args.name)] = sorted(made)
            return f"{args.name}-{digest[:7]}", {**inputs, **made}
        name_property = _NAME_PROPERTY.get(args.typ, "name")
        physical = inputs.get(name_property) if name_property else None
        if not isinstance(physical, str) or not physical:
            physical = f"{args.name}-{digest[:7]}"
            if name_property:
                inputs[name_property] = physical
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        if args.typ in _UUID_IDS:
            resource_id = uuid
            if _UUID_IDS[args.typ]:
                inputs[_UUID_IDS[args.typ]] = resource_id
        else:
            resource_id = physical
        module, kind = _module_and_kind(args.typ)
        template = _ARN_TEMPLATES.get(args.typ, "arn:aws:{module}:{region}:{account}:{kind}/{name}")
        if args.typ in _CONNECT_CHILDREN:
            id_output, segment = _CONNECT_CHILDREN[args.typ]
            instance_id = str(inputs.get("instanceId") or "instance")
            inputs[id_output] = uuid
            resource_id = f"{instance_id}:{uuid}"
            template = f"arn:aws:connect:{{region}}:{{account}}:instance/{instance_id}/{segment}/{uuid}"
        for output, output_template in _EXTRA_OUTPUTS.get(args.typ, {}).items():
            value = output_template.format(
                region=region, account=PLAN_ACCOUNT_ID, name=physical, id=resource_id
            )
            inputs.setdefault(output, value)
        inputs.setdefault(
            "arn",
            template.format(
                module=module,
                kind=kind,
                region=region,
                account=PLAN_ACCOUNT_ID,
                name=physical,
                id=resource_id,
            ),
        )
        if args.typ == "aws:sqs/queue:Queue":
            inputs.setdefault("url", f"https://sqs.{region}.amazonaws.com/{PLAN_ACCOUNT_ID}/{physical}")
        made = self.inventor.resource_outputs(Context(args.typ, physical, region), inputs)
        if made:
            inputs.update(made)
            self.filled[(args.typ, args.name)] = sorted(set(made) - _DERIVED_OUTPUTS)
        return resource_id, inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        given = dict(args.args)
        region = str(given.get("region") or self.region)
        ctx = Context(args.token, str(given.get("name") or ""), region)
        if not ctx.name:
            ctx = Context(args.token, ctx.kind, region)
        pure = PURE.get(args.token)
        if pure is not None:
            return pure(given, ctx, self.inventor), []
        return self.inventor.invoke_result(ctx, given), []
