/** What the contract and replay tests create when a reference shows nothing of a prerequisite. */
export const MINIMAL_PROPERTIES: Record<string, Record<string, unknown>> = {
  workspaces: { title: "seeded" },
  apis: { title: "seeded", kind: "rest" },
  versions: { title: "seeded", lifecycleStage: "design" },
  definitions: { title: "seeded" },
  environments: { title: "seeded", kind: "development" },
  deployments: { title: "seeded" },
  metadataSchemas: { schema: '{"type":"string"}', assignedTo: [] },
};

/** The metadata-schema entity of each collection that carries custom properties. */
export const ENTITY_OF_SEGMENT: Record<string, string> = { apis: "api", environments: "environment", deployments: "deployment" };
