/** The resource URIs of the inventory (default workspace), in one place for tools and resources. */
const enc = encodeURIComponent;

export const APIS_URI = "apicenter://apis";
export const ENVIRONMENTS_URI = "apicenter://environments";
export const METADATA_SCHEMAS_URI = "apicenter://metadata-schemas";
export const API_TEMPLATE = "apicenter://apis/{apiName}";
export const DEFINITION_TEMPLATE = "apicenter://apis/{apiName}/versions/{versionName}/definitions/{definitionName}";
export const SPEC_TEMPLATE = `${DEFINITION_TEMPLATE}/spec`;

export const apiUri = (api: string) => `${APIS_URI}/${enc(api)}`;
export const definitionUri = (api: string, version: string, definition: string) => `${apiUri(api)}/versions/${enc(version)}/definitions/${enc(definition)}`;
export const specUri = (api: string, version: string, definition: string) => `${definitionUri(api, version, definition)}/spec`;
