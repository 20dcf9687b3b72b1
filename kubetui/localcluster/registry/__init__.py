"""What is served: the resource types with their defaulting, server-side printing (Tables),
discovery and OpenAPI schemas."""
