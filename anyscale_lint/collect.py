"""Read the inputs of a run into models: Terraform roots (evaluated, and judged as they are when
a judge is given), plan and state JSON, snapshots and IAM policy JSON files, each with the
errors of the files it was read from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from anyscale_lint.engine.judge import Judge, Judgement
from anyscale_lint.model import CloudModel, ParseError
from anyscale_lint.progress_bar import ProgressBar
from anyscale_lint.reading import os_reason
from anyscale_lint.root_pool import RootEvaluator, worker_count
from anyscale_lint.sources.files import scan_root
from anyscale_lint.sources.iam_json import NotAPolicy, read_iam_json
from anyscale_lint.sources.iam_json import new_model as new_iam_model
from anyscale_lint.sources.snapshot import is_snapshot
from anyscale_lint.sources.terraform.loader import (
    SKIPPED_DIRS,
    TerraformOptions,
    TerraformSource,
    display_path,
    is_terraform_file,
)
from anyscale_lint.sources.terraform.plan import is_terraform_json, read_plan


def _json_candidates(directory: Path) -> list[Path]:
    found = []
    for path in sorted(directory.rglob("*.json")):
        if any(
            part in SKIPPED_DIRS or part.startswith(".")
            for part in path.relative_to(directory).parts[:-1]
        ):
            continue
        if path.name.endswith((".tf.json", ".tfvars.json")):
            continue
        found.append(path)
    return found


@dataclass
class Collected:
    """Every input read into models, errors attached to the model whose files they concern."""

    models: list[CloudModel] = field(default_factory=list)
    errors_by_model: dict[int, list[ParseError]] = field(default_factory=dict)
    loose_errors: list[ParseError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Models judged as they were evaluated (by id of the model).
    judged: dict[int, Judgement] = field(default_factory=dict)


def collect(
    paths: Sequence[str],
    tf_options: TerraformOptions,
    progress: ProgressBar | None = None,
    judge: Judge | None = None,
) -> Collected:
    """Read every input into models; with a `judge`, judge each Terraform root as it is
    evaluated (the models of plans, snapshots and policy files are judged by the caller)."""
    collected = Collected()
    notices = collected.notices
    loose_errors = collected.loose_errors
    models = collected.models
    errors_by_model = collected.errors_by_model
    module_dirs: list[Path] = []
    json_files: list[Path] = []
    # file() reads only inside the tree a root was found in (its git work tree, else the
    # scanned directory), whatever the working directory.
    boundaries: dict[Path, Path] = {}
    source = TerraformSource(Path.cwd(), tf_options)
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            loose_errors.append(ParseError(raw, None, _missing_reason(path), kind="read"))
            continue
        boundary = scan_root(path)
        if path.is_dir():
            found = source.module_dirs(path, boundary)
            json_files.extend(_json_candidates(path))
        elif is_terraform_file(path):
            found = [path.resolve().parent]
        elif path.suffix == ".json":
            # A plan or state beside the HCL it was made from: read the HCL for locations.
            beside = path.resolve().parent
            found = [beside] if is_terraform_json(path) and _holds_terraform(beside) else []
            json_files.append(path)
        else:
            found = []
            notices.append(f"{raw}: skipped, not a Terraform (.tf, .tf.json) or IAM JSON file")
        module_dirs.extend(found)
        for directory in found:
            boundaries.setdefault(directory, boundary)
    notices.extend(dict.fromkeys(source.notices))
    unique_dirs = list(dict.fromkeys(module_dirs))
    roots = [(root, boundaries[root]) for root in source.roots(unique_dirs)]
    evaluator = RootEvaluator(source, worker_count(len(roots), source.characters), judge)
    # A root beside a plan or state file is replaced by the plan's model: judged with it.
    evaluator.unjudged = {
        root for root, _ in roots if any(p.resolve().parent == root.resolve() for p in json_files)
    }
    if progress is not None:
        progress.start(len(roots))
    hcl_by_dir: dict[Path, CloudModel] = {}
    evaluated = zip(roots, evaluator.evaluate(roots), strict=True)
    for (root, _), (model, errors, judgement) in evaluated:
        hcl_by_dir[root.resolve()] = model
        models.append(model)
        if judgement is not None:
            collected.judged[id(model)] = judgement
        notices.extend(model.notices)
        errors_by_model[id(model)] = errors
        if progress is not None:
            progress.phase(model.root)
    # The first model holding the file owns its errors (one lookup each, not a scan of models).
    owners: dict[str, CloudModel] = {}
    for model in models:
        for file in model.files:
            owners.setdefault(file, model)
    for error in evaluator.errors():
        owner = owners.get(error.path)
        if owner is not None:
            errors_by_model[id(owner)].append(error)
        else:
            loose_errors.append(error)
    # IAM JSON files of one directory form one model: a trust policy, a bucket policy and
    # the roles' permissions policies exported side by side describe one deployment.
    by_directory: dict[Path, list[Path]] = {}
    for path in dict.fromkeys(json_files):
        by_directory.setdefault(path.resolve().parent, []).append(path)
    for directory, files in by_directory.items():
        model = new_iam_model(display_path(directory))
        for path in files:
            if is_snapshot(path):
                loose_errors += _add_snapshot(path, models, errors_by_model)
                continue
            if is_terraform_json(path):
                hcl = hcl_by_dir.pop(directory, None)
                loose_errors += _add_plan(path, hcl, models, errors_by_model)
                continue
            problem = read_iam_json(path, display_path(path), model)
            if isinstance(problem, NotAPolicy):
                notices.append(str(problem))
            elif isinstance(problem, ParseError):
                loose_errors.append(problem)
        if model.resources:
            models.append(model)
            errors_by_model[id(model)] = []
    if not models and not loose_errors and paths:
        notices.append(f"no Terraform or IAM JSON files found in {', '.join(paths)}")
    return collected


def _holds_terraform(directory: Path) -> bool:
    try:
        return any(is_terraform_file(p) for p in directory.iterdir())
    except OSError:
        return False


def _add_plan(
    path: Path,
    hcl: CloudModel | None,
    models: list[CloudModel],
    errors_by_model: dict[int, list[ParseError]],
) -> list[ParseError]:
    """Add the model of a plan or state JSON file. It replaces the model of the HCL beside
    it (the plan knows more), whose blocks give the findings their locations."""
    loaded = read_plan(path, display_path(path), hcl)
    if isinstance(loaded, ParseError):
        return [loaded]
    model, errors = loaded
    if hcl is not None and any(m is hcl for m in models):
        index = next(n for n, m in enumerate(models) if m is hcl)
        errors = [*errors_by_model.pop(id(hcl), []), *errors]
        models[index] = model
    else:
        models.append(model)
    errors_by_model[id(model)] = errors
    return []


def _add_snapshot(
    path: Path, models: list[CloudModel], errors_by_model: dict[int, list[ParseError]]
) -> list[ParseError]:
    """Add the models of a `live --save-snapshot` file; its collection errors go with them."""
    from anyscale_lint.sources.snapshot import read_snapshot

    loaded = read_snapshot(path, display_path(path))
    if isinstance(loaded, ParseError):
        return [loaded]
    for model, errors in loaded:
        models.append(model)
        errors_by_model[id(model)] = errors
    return []


def _missing_reason(path: Path) -> str:
    """Why a path given on the command line cannot be scanned."""
    try:
        path.stat()
    except OSError as error:
        return os_reason(error, path)
    return "no such file or directory"
