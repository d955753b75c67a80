"""GraphQL types, inputs and root fields of the sharing workflows (共享业务流程), one module each."""
