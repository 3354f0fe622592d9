"""The container every source fills: resources by key, plus what could not be read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar

from anyscale_lint.model.origin import Origin, SourceSpan
from anyscale_lint.model.policy import PolicyDocument

if TYPE_CHECKING:
    from anyscale_lint.model.aws import Route
from anyscale_lint.model.values import Unknown


@dataclass(frozen=True)
class Resource:
    """Base of every modelled resource."""

    kind: ClassVar[str] = "resource"
    # Unique within a model: the Terraform address, or the live ID/ARN.
    key: str
    # What users see: the Terraform address (module path included) or the live ID.
    address: str
    origin: Origin
    name: str | Unknown | None = None
    tags: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class ParseError:
    """An input that could not be read or parsed (`kind` is read, parse or internal)."""

    path: str
    line: int | None
    message: str
    kind: str = "parse"
    column: int | None = None

    def location(self) -> str:
        """`path:line` or just the path."""
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class RegisterCommand:
    """An `anyscale cloud register` command found in the inputs (e.g. a Terraform output)."""

    text: str
    # Flag name without dashes -> value (a string; repeated or comma lists stay as written).
    flags: dict[str, str | Unknown] = field(compare=False, hash=False)
    origin: Origin
    # The Terraform output that holds it, when there is one.
    output_name: str | None = None
    # Where each flag was written, when the input says (a resource file's keys).
    flag_origins: dict[str, Origin] = field(default_factory=dict, compare=False, hash=False)
    # What the command was read from, for messages: an output, a file, `--register-command`.
    source: str = ""
    # Flags given under another spelling than the documented one (documented -> as written).
    spellings: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def written(self, flag: str) -> str:
        """The flag as the user wrote it (`s3-bucket-id`), for messages."""
        return self.spellings.get(flag, flag)


@dataclass(frozen=True)
class UnreadModule:
    """A module call whose source was not read (remote, or a missing directory): every value
    that depends on its outputs is unknown."""

    address: str
    source: str
    origin: Origin
    # Why it was not read, in words that follow "was not read: ".
    why: str
    # Addresses of the caller's resources its inputs refer to: the module may complete them
    # (attach policies to a role, add a bucket policy), so their absence proves nothing.
    receives: tuple[str, ...] = ()

    def describe(self) -> str:
        """`module.vpc (github.com/...)`, as notices and reasons name the call."""
        return f"{self.address} ({self.source})"


@dataclass(frozen=True)
class OutputValue:
    """A Terraform output of the root or of a module instance, as evaluated statically."""

    # `name` for the root's outputs, `module.network.name` for a child module's.
    address: str
    name: str
    # The evaluated value: values known only after apply are `Partial`s (see model/values.py).
    value: object = field(compare=False, hash=False)
    expression: str
    origin: Origin
    sensitive: bool = False
    # The output's `description`, when it is a literal (it may name a register flag).
    description: str = ""

    @property
    def in_root(self) -> bool:
        """Whether `terraform output NAME` can read it (only root outputs are exposed)."""
        return self.address == self.name


@dataclass
class CloudModel:
    """Everything one root (a Terraform root module, a JSON file, an account) declares."""

    root: str
    # What built the model (`terraform`, `iam_json`, ...): a label for reports; rules and the
    # engine read the facts below instead.
    source_kind: str
    # Whether the model describes the network (VPC, subnets, security groups); policy files
    # alone do not, so network and registration rules have nothing to judge.
    holds_network: bool = True
    # Whether every resource was named by the user (policy files): rules judge them all.
    judge_all_resources: bool = False
    # The kind of input in the rule catalog's words (rules/*.yaml `sources`: terraform,
    # iam_json, live); a rule that does not list it reports not-evaluated on this model.
    rule_source: str = "terraform"
    # Whether cloud IDs are assigned only at apply (code): keys are addresses, and a literal
    # ID cannot be matched before apply. False when keys are the cloud's own IDs (live).
    ids_assigned_at_apply: bool = False
    # Whether all resources live in one account (one Terraform root and its provider).
    single_account: bool = False
    # Whether the input names one deployment (a live scan scoped by flags, a tag or a VPC):
    # several control-plane candidates are then one ambiguous pick, not several deployments.
    one_deployment: bool = False
    # The region resources are created in (the Terraform provider's), when known.
    region: str | Unknown | None = None
    resources: dict[str, Resource] = field(default_factory=dict)
    # Routes whose route table is not known (e.g. `aws_route` with an unknown count): they may
    # belong to any table, so route rules report unknown rather than a missing route.
    unplaced_routes: list[Route] = field(default_factory=list)
    register_commands: list[RegisterCommand] = field(default_factory=list)
    # Resources whose count or for_each is not known: one symbolic instance stands for all,
    # so how many there are is unknown (address -> why).
    uncounted: dict[str, str] = field(default_factory=dict)
    # Outputs of the root and its module instances (Terraform only).
    outputs: list[OutputValue] = field(default_factory=list)
    # Files the root was read from (for locations of findings about absent things).
    files: list[str] = field(default_factory=list)
    # Values that must never be printed (sensitive variables and outputs).
    sensitive_values: set[str] = field(default_factory=set)
    # Why each unresolved expression (of an Unknown, or a part of a `Partial`) is unresolved.
    unknown_reasons: dict[str, str] = field(default_factory=dict)
    # Where each resource block of the code is written (address -> span), for a source that
    # reads the values elsewhere (a plan) to point findings at the code.
    block_spans: dict[str, SourceSpan] = field(default_factory=dict, compare=False)
    # Inline ignore comments found in the root's files.
    ignores: list[InlineIgnore] = field(default_factory=list)
    # Where the model's input values came from (variable files, TF_VAR_*, --var).
    notes: list[str] = field(default_factory=list)
    # What the scan should tell the user about this model's inputs (an evaluation budget hit).
    notices: list[str] = field(default_factory=list)
    # Module calls that were not read: parts of the deployment may be declared in them.
    unread_modules: list[UnreadModule] = field(default_factory=list)

    def add(self, resource: Resource) -> None:
        """Add a resource, keyed by its key."""
        self.resources[resource.key] = resource

    def get(self, key: object) -> Resource | None:
        """The resource with this key, or None (also for Unknown links)."""
        return self.resources.get(key) if isinstance(key, str) else None

    def of_kind(self, cls: type[R]) -> Iterator[R]:
        """All resources of one class, in key order."""
        for key in sorted(self.resources):
            resource = self.resources[key]
            if isinstance(resource, cls):
                yield resource

    def first_file_span(self) -> SourceSpan | None:
        """A location at the top of the root's first file, for findings about absent things."""
        return SourceSpan(self.files[0], 1, 1) if self.files else None

    def policy_documents(self) -> Iterator[PolicyDocument]:
        """Every known policy document: trust, permissions and bucket policies."""
        for resource in self.resources.values():
            documents = [
                getattr(resource, "trust_policy", None),
                getattr(resource, "policy", None),
                getattr(resource, "document", None),
            ]
            documents += [attachment.document for attachment in getattr(resource, "policies", ())]
            yield from (d for d in documents if isinstance(d, PolicyDocument))


@dataclass(frozen=True)
class InlineIgnore:
    """An `anyscale-lint:ignore` comment: which rules, why, until when, and where it is."""

    rule_ids: tuple[str, ...]
    reason: str
    expires: str | None
    path: str
    line: int
    # The resource block the comment belongs to, when it is inside or just above one.
    resource_key: str | None
