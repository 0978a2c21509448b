package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider"
	providerversion "github.com/atlasinv/terraform-provider-atlasinv/internal/version"
)

// version and commit are set at build time by goreleaser
// (-ldflags "-X main.version=... -X main.commit=..."); other builds take
// them from the build info (version.FromBuildInfo). The package of that name
// is imported as providerversion: these two variables keep their names, which
// the ldflags address.
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider version and exit")
	flag.Parse()

	version, commit := providerversion.FromBuildInfo(version, commit)
	if showVersion {
		fmt.Println("terraform-provider-atlasinv " + version + " (commit " + commit + ")")
		os.Exit(0)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/atlasinv/atlasinv",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
