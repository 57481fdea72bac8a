/**
 * The inventory's vocabulary as users and tools speak it. The wire contract in src/arm keeps its own
 * copy (it may import nothing); test/domain/vocabulary.test.ts holds the two equal.
 */
export const LIFECYCLE_STAGES = ["design", "development", "testing", "preview", "production", "deprecated", "retired"] as const;
export const API_KINDS = ["rest", "graphql", "grpc", "soap", "webhook", "websocket", "mcp"] as const;
export const ENVIRONMENT_KINDS = ["development", "testing", "staging", "production"] as const;
export const ENVIRONMENT_SERVER_TYPES = [
  "Azure API Management",
  "Azure compute service",
  "Apigee API Management",
  "AWS API Gateway",
  "Kong API Gateway",
  "Kubernetes",
  "MuleSoft API Management",
] as const;
export const DEPLOYMENT_STATES = ["active", "inactive"] as const;
export const METADATA_ENTITIES = ["api", "environment", "deployment"] as const;
