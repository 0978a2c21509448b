// Package atlasspec loads the Atlas OpenAPI document that ships inside the
// Atlas SDK module, so that tests can check the mock's answers and their own
// fixtures against what Atlas documents rather than against our word.
package atlasspec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// The SDK modules whose documents are the reference (the invitations
// endpoints' and the org users endpoint's), and the file inside each.
const (
	SDKModule      = "go.mongodb.org/atlas-sdk/v20241113001"
	UsersSDKModule = "go.mongodb.org/atlas-sdk/v20250312020"
	SpecFile       = "openapi/atlas-api-transformed.yaml"
)

type loadResult struct {
	once sync.Once
	doc  *openapi3.T
	file string
	err  error
}

var (
	loadedMu sync.Mutex
	loaded   = map[string]*loadResult{}
)

// Load reads the invitations SDK's document once per process and returns it
// with its path.
func Load() (*openapi3.T, string, error) { return LoadModule(SDKModule) }

// LoadModule reads the document of the SDK module once per process and
// returns it with its path.
func LoadModule(module string) (*openapi3.T, string, error) {
	loadedMu.Lock()
	r := loaded[module]
	if r == nil {
		r = &loadResult{}
		loaded[module] = r
	}
	loadedMu.Unlock()
	r.once.Do(func() { r.doc, r.file, r.err = load(module) })
	return r.doc, r.file, r.err
}

func load(module string) (*openapi3.T, string, error) {
	dir, err := ModuleDir(module)
	if err != nil {
		return nil, "", err
	}
	file := filepath.Join(dir, filepath.FromSlash(SpecFile))
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromFile(file)
	if err != nil {
		return nil, file, fmt.Errorf("load %s: %w", file, err)
	}
	return doc, file, nil
}

// ModuleDir asks the go command where an SDK module is, offline. (The
// build info of a test binary lists no dependencies, so it cannot name the
// SDK's version.) `go test` puts its own go command first on PATH.
// GOPROXY=off: this never downloads; run `go mod download` first.
// GOTOOLCHAIN=local: no toolchain switch either.
func ModuleDir(module string) (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module)
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %v: %s", module, err, strings.TrimSpace(stderr.String()))
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("go list -m %s: module not in the module cache (run `go mod download`)", module)
	}
	return dir, nil
}

// SchemaOptions are the validation options every check uses: date-time is
// checked by default, e-mail only on request.
func SchemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
	}
}

// ValidateValue checks v, as it marshals to JSON, against the document's
// schema components/schemas/<schema>.
func ValidateValue(doc *openapi3.T, schema string, v any) error {
	ref := doc.Components.Schemas[schema]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("the document has no schema %q", schema)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return err
	}
	return ref.Value.VisitJSON(generic, SchemaOptions()...)
}
