/** The inventory's vocabulary and limits, as the wire contract defines them, for the MCP surface's schemas. */
export {
  API_KINDS,
  DEPLOYMENT_STATES,
  ENVIRONMENT_KINDS,
  ENVIRONMENT_SERVER_TYPES,
  IMPORT_SPECIFICATION_OPTIONS,
  LIFECYCLE_STAGES,
  METADATA_ENTITIES,
  STATED_LIMITS,
  UNSTATED_LIMITS,
} from "../arm/models.js";
export { NAME_LENGTH, NAME_PATTERN } from "../arm/resource-types.js";
export { resourceGroupProblem, subscriptionProblem } from "../arm/resource-id.js";
