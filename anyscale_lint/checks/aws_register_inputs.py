"""AWS-REG-004: the values of a register command or resource file name the right resources.

The command is the one in a Terraform output, or a hand-written one given to `ready
--register-command` / `--resource-file`. Each value is matched to what it names in the code:
a flag pointing at the wrong kind of resource, at the other role, at a public utility subnet,
at a security group other than the one EFS and MemoryDB use listed first, a value that names
nothing, and a missing required flag are findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.register_values import (
    RESOURCE_FLAGS,
    FlagKind,
    FlagValue,
    anything_matching,
    assigned_at_apply,
    items,
    matching,
    partly_known_match,
    read_value,
)
from anyscale_lint.engine.registry import rule
from anyscale_lint.engine.topology import utility_subnets
from anyscale_lint.engine.unresolved import unresolved, unresolved_value
from anyscale_lint.iam.roles import (
    is_cross_account,
    trusted_accounts,
    trusts_service,
)
from anyscale_lint.model import (
    IamRole,
    Origin,
    RegisterCommand,
    Resource,
    SecurityGroup,
    Subnet,
    is_known,
    unresolved_parts,
)
from anyscale_lint.providers.aws import AWS_INPUTS, INPUTS_BY_FLAG

EC2 = "ec2.amazonaws.com"
# Flags `anyscale cloud register --provider aws` needs for a VM cloud (REQUIREMENTS.md 5);
# the region has a default.
REQUIRED_FLAGS = tuple(spec.flag for spec in AWS_INPUTS if spec.required and spec.key != "region")


@dataclass
class _Finding:
    subject: str
    message: str
    value: str
    evidence: str
    location: Origin | None
    # The register input (providers/aws.py key) the flag gives.
    register_input: str | None


class _CommandCheck:
    """One command's flags against the deployment; collects problems and unknowns."""

    def __init__(self, ctx: CheckContext, command: RegisterCommand) -> None:
        self.ctx = ctx
        self.command = command
        self.model = ctx.model
        self.where = f"{command.source or 'the register command'}"
        self.problems: list[_Finding] = []
        self.unknowns: list[_Finding] = []
        self.roles: dict[str, tuple[Resource, FlagValue]] = {}

    def origin(self, flag: str) -> Origin:
        return self.command.flag_origins.get(flag, self.command.origin)

    def add(
        self, bucket: list[_Finding], flag: str, subject: str, message: str, value: str
    ) -> None:
        bucket.append(
            _Finding(
                subject,
                message,
                f"--{flag} {value}",
                f"{flag}|{message}",
                self.origin(flag),
                INPUTS_BY_FLAG[flag].key if flag in INPUTS_BY_FLAG else None,
            )
        )

    def run(self) -> None:
        flags = self.command.flags
        for flag in REQUIRED_FLAGS:
            if not flags.get(flag):
                self.add(
                    self.problems,
                    flag,
                    self.ctx.deployment.key,
                    f"{self.where} has no --{flag}: registration of an AWS VM cloud needs it",
                    "(missing)",
                )
        for kind in RESOURCE_FLAGS:
            written = flags.get(kind.flag)
            if written:
                self.value(kind, read_value(self.model, written))
        self.role_pair()

    def shown(self, kind: FlagKind) -> str:
        """The flag as the command writes it (an alias stays an alias)."""
        return f"--{self.command.written(kind.flag)}"

    def value(self, kind: FlagKind, read: FlagValue) -> None:
        if read.problem:
            self.add(self.problems, kind.flag, self.ctx.deployment.key, read.problem, read.written)
            return
        values = items(read.value)
        if not values:
            why = self.ctx.explain(read.value)
            self.add(
                self.unknowns,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} in {self.where} is not known: {why}",
                read.written,
            )
            return
        if not kind.many and len(values) > 1:
            self.add(
                self.problems,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} takes one {kind.part}, but {self.where} gives {len(values)}",
                read.written,
            )
        named: list[Resource] = []
        for item in values:
            found = matching(self.model, kind.cls, item)
            if found:
                named.extend(found[:1])
            else:
                self.unmatched(kind, item, read)
        self.semantics(kind, named, read)

    def unmatched(self, kind: FlagKind, item: str, read: FlagValue) -> None:
        other = anything_matching(self.model, item)
        via = f" (output {read.output})" if read.output else ""
        if other:
            self.add(
                self.problems,
                kind.flag,
                other[0].address,
                f"{self.shown(kind)} in {self.where} names {other[0].address}{via}, which is of "
                f"kind {other[0].kind}, not {kind.cls.kind}",
                read.written,
            )
        elif unresolved_parts(item, self.model.unknown_reasons):
            # Not an ID AWS assigns: a value the code cannot settle (a module not read).
            self.add(
                self.unknowns,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} in {self.where} is not known: {self.ctx.explain(item)}",
                read.written,
            )
        elif assigned_at_apply(item) and self.model.ids_assigned_at_apply:
            self.add(
                self.unknowns,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} {item} in {self.where} cannot be matched to the code: AWS "
                f"assigns such IDs at apply; write $(terraform output -raw NAME) with an output "
                f"holding the {kind.part}",
                read.written,
            )
        elif not is_known(item):
            self.add(
                self.unknowns,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} in {self.where} is not known: {self.ctx.explain(item)}",
                read.written,
            )
        elif (partial := partly_known_match(self.model, kind.cls, item)) is not None:
            name = partial.name if not is_known(partial.name) else getattr(partial, "arn", None)
            self.add(
                self.unknowns,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} {item}{via} in {self.where} may name {partial.address}, "
                f"whose name is only partly known: {self.ctx.explain(name)}",
                read.written,
            )
        elif (reason := self.unsettled(kind)) is not None:
            self.add(
                self.unknowns,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} {item}{via} in {self.where} cannot be matched to the code, "
                f"whose {kind.part} is not known: {reason}",
                read.written,
            )
        else:
            present = [r.address for r in self.model.of_kind(kind.cls)]
            self.add(
                self.problems,
                kind.flag,
                self.ctx.deployment.key,
                f"{self.shown(kind)} {item}{via} in {self.where} names no {kind.cls.kind} of this "
                f"deployment ({', '.join(present[:4]) or 'none declared'})",
                read.written,
            )

    def unsettled(self, kind: FlagKind) -> str | None:
        """Why the code's own value for this flag's part is not known (a module not read),
        when the code declares no resource the flag's value could be matched to otherwise."""
        part = INPUTS_BY_FLAG[kind.flag].part
        declared = any(True for _ in self.model.of_kind(kind.cls))
        return unresolved_value(self.ctx.deployment, part) or (
            None if declared else unresolved(self.ctx.deployment, part)
        )

    def semantics(self, kind: FlagKind, named: list[Resource], read: FlagValue) -> None:
        if kind.flag in ("anyscale-iam-role-id", "instance-iam-role-id") and named:
            self.roles[kind.flag] = (named[0], read)
        elif kind.flag == "subnet-ids":
            self.subnets([s for s in named if isinstance(s, Subnet)], read)
        elif kind.flag == "security-group-ids":
            self.groups([g for g in named if isinstance(g, SecurityGroup)], read)

    def role_pair(self) -> None:
        """The two role flags: the same role twice, or each naming the other's role."""
        control = self.roles.get("anyscale-iam-role-id")
        instance = self.roles.get("instance-iam-role-id")
        if control is None or instance is None:
            return
        (control_role, read), (instance_role, _) = control, instance
        if control_role is instance_role:
            self.add(
                self.problems,
                "anyscale-iam-role-id",
                control_role.address,
                f"--anyscale-iam-role-id and --instance-iam-role-id in {self.where} both name "
                f"{control_role.address}: the control plane and the nodes need separate roles",
                read.written,
            )
            return
        # By shape, not by the trusted account: a mistyped account does not hide a swap.
        if (
            isinstance(control_role, IamRole)
            and isinstance(instance_role, IamRole)
            and trusts_service(control_role, EC2)
            and not is_cross_account(control_role)
            and is_cross_account(instance_role)
            and not trusts_service(instance_role, EC2)
        ):
            accounts = ", ".join(trusted_accounts(instance_role))
            self.add(
                self.problems,
                "anyscale-iam-role-id",
                control_role.address,
                f"The role flags in {self.where} are swapped: --anyscale-iam-role-id names "
                f"{control_role.address}, which trusts {EC2} (the instance role), and "
                f"--instance-iam-role-id names {instance_role.address}, the cross-account role "
                f"(it trusts account {accounts})",
                read.written,
            )

    def subnets(self, subnets: list[Subnet], read: FlagValue) -> None:
        for subnet in utility_subnets(self.model, subnets):
            self.add(
                self.problems,
                "subnet-ids",
                subnet.address,
                f"--subnet-ids in {self.where} lists {subnet.address}, a public utility subnet "
                "(it hosts a NAT gateway or shares its route table): Ray nodes belong in the "
                "node subnets",
                read.written,
            )

    def services(self) -> str:
        deployment = self.ctx.deployment
        names = [
            name
            for name, part in (
                ("EFS mount targets", deployment.efs),
                ("MemoryDB cluster", deployment.memorydb),
            )
            if part is not None
        ]
        return " and ".join(names)

    def groups(self, groups: list[SecurityGroup], read: FlagValue) -> None:
        used = self.ctx.deployment.service_groups
        if not groups or not used or groups[0].key in used:
            return
        listed = [g for g in groups if g.key in used]
        hint = f"list {listed[0].address} first" if listed else "add the group they use first"
        self.add(
            self.problems,
            "security-group-ids",
            groups[0].address,
            f"--security-group-ids in {self.where} lists {groups[0].address} first, but the "
            f"deployment's {self.services()} carry {', '.join(sorted(used))}: Anyscale treats "
            f"the first group as the cloud's; {hint}",
            read.written,
        )


@rule("AWS-REG-004")
def register_inputs_match(ctx: CheckContext) -> None:
    commands = [
        command
        for command in (ctx.deployment.given_register, ctx.deployment.register_command)
        if command is not None
    ]
    if not commands:
        ctx.not_evaluated(
            ctx.deployment.key, "no register command or resource file names the deployment's parts"
        )
        return
    for command in commands:
        check = _CommandCheck(ctx, command)
        check.run()
        for finding in check.problems:
            ctx.fail(
                finding.subject,
                finding.message + ".",
                value=finding.value,
                evidence=finding.evidence,
                location=finding.location,
                register_input=finding.register_input,
            )
        for finding in check.unknowns:
            ctx.unknown(
                finding.subject,
                finding.message + ".",
                location=finding.location,
                register_input=finding.register_input,
            )
        if not check.problems and not check.unknowns:
            ctx.passed(ctx.deployment.key, f"{check.where} names the deployment's parts")
