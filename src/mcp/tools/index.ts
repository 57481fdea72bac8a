/** Every tool of the server, the six the product promises first. */
import type { AnyTool } from "../define-tool.js";
import { createVersion, getApi, listApis, registerApi } from "./apis.js";
import { deleteApi, deleteDefinition, deleteDeployment, deleteEnvironment, deleteMetadataSchema, deleteVersion } from "./deletes.js";
import { createDeployment, createEnvironment, listDeployments, listEnvironments } from "./deployments.js";
import { defineMetadata, listMetadataSchemas, listServices, listWorkspaces } from "./metadata.js";
import { analyzeSpec, auditInventory, diffVersions, lintSpec, searchApis } from "./intelligence.js";
import { exportSpec, importSpec } from "./specs.js";

export const ALL_TOOLS: readonly AnyTool[] = [
  listApis,
  registerApi,
  createVersion,
  importSpec,
  createDeployment,
  defineMetadata,
  getApi,
  exportSpec,
  listEnvironments,
  createEnvironment,
  listDeployments,
  listMetadataSchemas,
  listServices,
  listWorkspaces,
  searchApis,
  auditInventory,
  analyzeSpec,
  lintSpec,
  diffVersions,
  deleteApi,
  deleteVersion,
  deleteDefinition,
  deleteEnvironment,
  deleteDeployment,
  deleteMetadataSchema,
];
