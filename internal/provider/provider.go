// Package provider is the Terraform side of atlasinv: the provider schema
// and configuration, and the data sources. Everything that talks to Atlas
// lives in internal/atlas.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

var _ provider.Provider = &atlasinvProvider{}

type atlasinvProvider struct {
	version string
	// getenv and environ are os.Getenv and os.Environ, replaceable so unit
	// tests need not touch the process environment. environ lists the
	// variables set, to spot a misspelt one.
	getenv  func(string) string
	environ func() []string
}

// New returns the provider factory for a given build version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &atlasinvProvider{version: version, getenv: os.Getenv, environ: os.Environ}
	}
}

func (p *atlasinvProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "atlasinv"
	resp.Version = p.version
}

func (p *atlasinvProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	notEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads who has been invited into MongoDB Atlas organizations. " +
			"Authenticate with an access token, a service account or an API key, in the provider block or " +
			"through the same `MONGODB_ATLAS_*` environment variables the official MongoDB Atlas provider and CLI use.",
		Attributes: map[string]schema.Attribute{
			"public_key": schema.StringAttribute{
				MarkdownDescription: "Public key of an Atlas programmatic API key (HTTP digest authentication). " +
					"Falls back to `MONGODB_ATLAS_PUBLIC_API_KEY`, `MONGODB_ATLAS_PUBLIC_KEY`, `MCLI_PUBLIC_API_KEY`. " +
					"Set together with `private_key`.",
				Optional:   true,
				Validators: notEmpty,
			},
			"private_key": schema.StringAttribute{
				MarkdownDescription: "Private key of the API key. Falls back to `MONGODB_ATLAS_PRIVATE_API_KEY`, " +
					"`MONGODB_ATLAS_PRIVATE_KEY`, `MCLI_PRIVATE_API_KEY`.",
				Optional:   true,
				Sensitive:  true,
				Validators: notEmpty,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Client id of an Atlas service account (OAuth 2 client credentials, `mdb_sa_id_...`). " +
					"Falls back to `MONGODB_ATLAS_CLIENT_ID`. Set together with `client_secret`.",
				Optional:   true,
				Validators: notEmpty,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Client secret of the service account. Falls back to `MONGODB_ATLAS_CLIENT_SECRET`.",
				Optional:            true,
				Sensitive:           true,
				Validators:          notEmpty,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "An Atlas access token sent as a bearer token, used as is. " +
					"Falls back to `MONGODB_ATLAS_ACCESS_TOKEN` when the provider block holds no complete credential. Takes precedence over the other credentials of the same place (block or environment).",
				Optional:   true,
				Sensitive:  true,
				Validators: notEmpty,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Atlas API, for Atlas for Government (`https://cloud.mongodbgov.com`) " +
					"or a test server. Falls back to `MONGODB_ATLAS_BASE_URL`, `MCLI_OPS_MANAGER_URL`; " +
					"defaults to `" + atlas.DefaultBaseURL + "`. Plain `http://` is accepted only for loopback hosts. " +
					"Without the API's path: one that ends with `/api/atlas/v2` or `/api/atlas` is refused, " +
					"since the provider adds it to every request.",
				Optional:   true,
				Validators: notEmpty,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP attempt may take, as a Go duration such as `\"30s\"` or `\"2m\"`. " +
					"Defaults to `60s`. Retries get a fresh timeout each.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried after throttling (429), a transient server error " +
					"(500, 502, 503, 504) or a connection failure, with exponential backoff and `Retry-After` honoured. " +
					"Defaults to `4`; `0` disables retries.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"invitations_source": schema.StringAttribute{
				MarkdownDescription: "Which Atlas API serves `atlasinv_org_invites`: `\"auto\"` (the default) reads the " +
					"invitations API while Atlas serves it, and once Atlas answers that it has retired that API (410 " +
					"`VERSION_GONE`; a 404 or 406 never counts), reads the " +
					"same pending invitations from the organization users API for the rest of the command, with one " +
					"warning; `\"org_users\"` always reads them from the organization users API (try today what the " +
					"sunset brings); `\"invitations\"` only ever reads the invitations API and fails once it is retired. " +
					"Read from the organization users API, each invitation's `id` is the pending user's id, and " +
					"`atlasinv_org_invite` (one invitation by its id) fails, since that API knows no invitation ids.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(invitationsSources...)},
			},
		},
	}
}

func (p *atlasinvProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var model providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var environ []string
	if p.environ != nil {
		environ = p.environ()
	}
	cfg, diags := resolveConfig(model, p.getenv, setEnvNames(environ))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = userAgent(p.version, req.TerraformVersion)
	client, err := atlas.NewClient(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot Create Atlas Client", "The Atlas SDK refused the configuration: "+err.Error())
		return
	}
	resp.DataSourceData = newConfiguredProvider(client, model.InvitationsSource.ValueString())
}

func userAgent(version, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return "terraform-provider-atlasinv/" + version + " Terraform/" + terraformVersion
}

func (p *atlasinvProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

func (p *atlasinvProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newOrgInvitesDataSource,
		newOrgInviteDataSource,
		newOrgUsersDataSource,
		newOrgsDataSource,
		newOrgProjectsDataSource,
		newOrgTeamsDataSource,
		newProjectInvitesDataSource,
	}
}
