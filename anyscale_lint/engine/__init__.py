"""The engine: rule registry, check context, runner, findings and suppressions."""
