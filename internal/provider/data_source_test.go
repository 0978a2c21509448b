package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
