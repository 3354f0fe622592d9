"""`aws_iam_policy_document` data sources that no policy in the code uses: identity policies
of their own, so `--scope all` judges every policy the code writes."""

from __future__ import annotations

from collections.abc import Iterator

from anyscale_lint.iam.policy import PolicyParseError, parse_document
from anyscale_lint.model import CloudModel, IamPolicy, PolicyDocument, SourceSpan
from anyscale_lint.sources.terraform import data_sources
from anyscale_lint.sources.terraform.module import ModuleInstance, module_instances

_KIND = "aws_iam_policy_document"
# Rendered document JSON -> (data source span, statement spans), as rendering records them.
Origins = dict[str, tuple[SourceSpan, list[SourceSpan]]]


def unused_documents(
    root: ModuleInstance, model: CloudModel, origins: Origins
) -> Iterator[IamPolicy]:
    """Identity policy documents (no Principal) that no modelled policy was read from."""
    used = {document.origin for document in model.policy_documents()}
    for module in module_instances(root):
        for (kind, name), block in module.data.items():
            if kind != _KIND or block.span in used:
                continue
            for instance in module.instances(block, f"{module.prefix}data.{kind}.{name}"):
                rendered = data_sources.make(module, kind, instance).attr("json")
                if not isinstance(rendered, str):
                    continue  # not known statically: nothing to judge
                where, statements = origins.get(rendered, (block.span, []))
                try:
                    document = parse_document(rendered, where, instance.address, statements)
                except PolicyParseError:
                    continue  # used by nothing, so nothing is wrong with it yet
                if not isinstance(document, PolicyDocument) or any(
                    s.principals is not None for s in document.statements
                ):
                    continue  # a trust or resource policy, not an identity policy
                yield IamPolicy(
                    key=instance.address,
                    address=instance.address,
                    origin=where,
                    document=document,
                    attachment_kind="document",
                )
