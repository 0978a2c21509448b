package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func TestConfiguredFromRefusesOtherProviderData(t *testing.T) {
	var diags diag.Diagnostics
	if conf := configuredFrom("not a provider", &diags); conf != nil || !diags.HasError() ||
		!strings.Contains(diags[0].Detail(), "got string") {
		t.Errorf("got %v, %v", conf, diags)
	}
	diags = nil
	if conf := configuredFrom(nil, &diags); conf != nil || diags.HasError() {
		t.Errorf("nil provider data: got %v, %v", conf, diags)
	}
}

// namedAre expects attribute of address to list exactly items, [id, name],
// in this order.
func namedAre(address, attribute string, items ...[2]string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(items))
	for i, n := range items {
		checks[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(n[0]), "name": knownvalue.StringExact(n[1]),
		})
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attribute), knownvalue.ListExact(checks))
}

// pagesAsked are the pageNum of every signed request the mock answered on
// path.
func pagesAsked(m *mockatlas.Server, path string) []string {
	var out []string
	for _, r := range m.Requests() {
		if r.Authenticated && r.Path == path {
			out = append(out, r.Query.Get("pageNum"))
		}
	}
	slices.Sort(out)
	return out
}

// idsAndNames is [id, name] of each item, in order, for namedAre.
func idsAndNames[T any](items []T, idAndName func(T) [2]string) [][2]string {
	out := make([][2]string, len(items))
	for i, item := range items {
		out[i] = idAndName(item)
	}
	return out
}
