/** Every tool of the server, the six the product promises first. */
import type { AnyTool } from "../define-tool.js";
import { importFromApim } from "./apim.js";
import { createVersion, getApi, listApis, registerApi } from "./apis.js";
import { deleteResource } from "./deletes.js";
import { createDeployment, createEnvironment, listDeployments, listEnvironments } from "./deployments.js";
import { defineMetadata, listMetadataSchemas, listServices } from "./metadata.js";
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
  searchApis,
  exportSpec,
  analyzeSpec,
  lintSpec,
  diffVersions,
  auditInventory,
  listEnvironments,
  createEnvironment,
  listDeployments,
  listMetadataSchemas,
  listServices,
  importFromApim,
  deleteResource,
];
