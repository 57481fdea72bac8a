/** The inventory's vocabulary, as the wire contract defines it, for the MCP surface's schemas. */
export {
  API_KINDS,
  DEPLOYMENT_STATES,
  ENVIRONMENT_KINDS,
  ENVIRONMENT_SERVER_TYPES,
  IMPORT_SPECIFICATION_OPTIONS,
  LIFECYCLE_STAGES,
  METADATA_ENTITIES,
} from "../arm/models.js";
