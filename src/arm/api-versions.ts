/** The api-version this project speaks. */
export const API_VERSION = "2024-03-01";

/** The preview that adds API sources (workspaces/{w}/apiSources): the one resource type this project uses from it. */
export const API_SOURCES_API_VERSION = "2024-06-01-preview";

/** What live Azure lists in `api-supported-versions`; the local API Center serves only API_VERSION. */
export const SUPPORTED_VERSIONS_HEADER = "2023-07-01-preview, 2024-03-01, 2024-03-15-preview";

/** The public Azure Resource Manager endpoint and the scope of its tokens. */
export const AZURE_ARM_ENDPOINT = "https://management.azure.com";
export const armScopeFor = (endpoint: string): string => `${endpoint.replace(/\/+$/, "")}/.default`;
