package provider

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Each validator here reports one error per bad value, saying what is wrong
// and what to do (stacking generic validators gave two errors for one value).

// durationValidator accepts a positive Go duration. A value that is not a
// duration is not repeated: Terraform shows the configuration line, and the
// value could be anything pasted into the wrong attribute.
type durationValidator struct{}

var _ validator.String = durationValidator{}

func (durationValidator) Description(context.Context) string {
	return `must be a positive Go duration such as "30s" or "2m"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(raw)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Request Timeout",
			`request_timeout must be a Go duration: a number and a unit, such as "30s", "90s" or "2m" `+
				`(units: ns, us, ms, s, m, h). Leave it out for the default of 60s.`)
	case d <= 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Request Timeout",
			fmt.Sprintf("request_timeout must be a positive duration such as \"30s\", got %q. "+
				"Leave it out for the default of 60s.", raw))
	}
}

// maxEmailBytes is the longest address SMTP carries (RFC 5321 §4.5.3.1.3:
// a path of 256 octets including the angle brackets). The limit is in bytes
// of UTF-8, so an address with non-ASCII letters reaches it with fewer
// characters.
const maxEmailBytes = 254

// usernameValidator checks the username filter: not empty (that would read
// as "no filter"), no surrounding white space (Atlas matches exactly), and
// no longer than an email address can be. what is what the data source
// lists ("invitation", "user").
type usernameValidator struct{ what string }

var _ validator.String = usernameValidator{}

func (usernameValidator) Description(context.Context) string {
	return fmt.Sprintf("must be an email address of at most %d bytes, without surrounding spaces", maxEmailBytes)
}

func (v usernameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v usernameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u := req.ConfigValue.ValueString()
	switch {
	case u == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Empty Username Filter",
			"username is an empty string. An empty filter is not \"no filter\": leave username out to list every "+
				v.what+", or set it to one email address.")
	case strings.TrimFunc(u, unicode.IsSpace) != u:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Username Filter",
			"username starts or ends with white space. Atlas matches the address exactly, so it would match no one: "+
				"remove the spaces.")
	case len(u) > maxEmailBytes:
		resp.Diagnostics.AddAttributeError(req.Path, "Username Filter Too Long",
			fmt.Sprintf("username is %d characters, which take %d bytes in UTF-8; an email address is at most %d bytes "+
				"(the SMTP limit, RFC 5321), and characters outside ASCII take 2 to 4 bytes each. No %s can "+
				"have this address: check the value.", utf8.RuneCountInString(u), len(u), maxEmailBytes, v.what))
	}
}
