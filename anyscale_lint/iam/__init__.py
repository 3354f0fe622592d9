"""IAM policy semantics: documents, statements, principals and action expansion."""
