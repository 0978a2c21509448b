// Package atlas is the Atlas side of the provider: it turns a resolved
// configuration into Atlas SDK clients with authentication, retries, bounded
// answers and logging, reads lists page by page, and turns SDK and HTTP
// failures into typed errors that carry facts. It knows nothing of
// Terraform: no attribute names, no advice, no framework types.
//
// Its files build on one another in the order DESIGN.md gives under "The
// Atlas client": each uses only names defined in the files before it
// (TestFilesUseOnlyFilesBelow).
package atlas
