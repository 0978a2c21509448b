package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// HTTPS_PROXY through a real CONNECT proxy on loopback. Go ignores proxies
// for loopback targets, so the provider is given an https:// base_url whose
// host only the proxy can resolve (.invalid never resolves, RFC 6761): the
// read succeeds only if every request went through the proxy. TLS is
// verified against a test CA given by SSL_CERT_FILE; without it the read
// must fail. Both run in a child test process, because the standard library
// reads SSL_CERT_FILE once per process.
const (
	proxyChildEnv = "ATLASINV_PROXY_CHILD" // "trusted" or "untrusted"
	proxyHost     = "atlas.mock.invalid"
)

func TestAccProxy_httpsProxyCarriesEveryRequest(t *testing.T) {
	if mode := os.Getenv(proxyChildEnv); mode != "" {
		proxyChild(t, mode == "trusted")
		return
	}
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: its child runs resource.Test, which needs TF_ACC=1")
	}
	for _, trusted := range []bool{true, false} {
		name := map[bool]string{true: "trusted", false: "untrusted"}[trusted]
		t.Run(name, func(t *testing.T) {
			mock := mockatlas.New()
			mock.AddAPIKey(testPublicKey, testPrivateKey)
			mock.AddOrg(testOrgID, inviteFull)
			cert, caPEM := testCertificate(t, proxyHost)
			atlas := httptest.NewUnstartedServer(mock)
			atlas.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
			atlas.StartTLS()
			t.Cleanup(atlas.Close)
			proxy := &mockatlas.Proxy{Hosts: map[string]string{proxyHost + ":443": atlas.Listener.Addr().String()}}
			proxySrv := httptest.NewServer(proxy)
			t.Cleanup(proxySrv.Close)

			env := []string{proxyChildEnv + "=" + name, "HTTPS_PROXY=" + proxySrv.URL, "https_proxy=", "NO_PROXY=", "no_proxy="}
			if trusted {
				caFile := filepath.Join(t.TempDir(), "ca.pem")
				if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
					t.Fatal(err)
				}
				env = append(env, "SSL_CERT_FILE="+caFile)
			}
			// The child's diagnostics are this package's too (golden_test.go).
			goldenEnv, collectDiagnostics := childDiagnostics(t)
			cmd := exec.Command(os.Args[0], "-test.run=^TestAccProxy_httpsProxyCarriesEveryRequest$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), append(env, goldenEnv)...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child test failed: %v\n%s", err, out)
			}
			collectDiagnostics()
			tunnels := proxy.Tunnels()
			if len(tunnels) == 0 {
				t.Fatal("nothing went through the proxy")
			}
			for _, tn := range tunnels {
				if tn.Target != proxyHost+":443" || !tn.Accepted {
					t.Errorf("proxy tunnel %+v, want %s:443 accepted", tn, proxyHost)
				}
			}
			signed := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated })
			if trusted && signed == 0 {
				t.Error("no signed request reached Atlas through the proxy")
			}
			if !trusted && len(mock.Requests()) != 0 {
				t.Errorf("%d requests reached Atlas over an unverified TLS connection, want 0", len(mock.Requests()))
			}
			t.Logf("%s: %d CONNECT tunnels (%v), %d signed requests reached Atlas", name, len(tunnels), tunnels, signed)
		})
	}
}

func proxyChild(t *testing.T, trusted bool) {
	step := resource.TestStep{Config: providerWith("https://"+proxyHost, credentialBlocks[0].block) + dataSourceConfigs[0].config}
	if trusted {
		step.ConfigStateChecks = []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.atlasinv_org_invites.test",
				tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(inviteFull.ID)),
		}
	} else {
		step.ExpectError = regexp.MustCompile(`Cannot Reach Atlas(?s:.*)certificate`)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(nil), Steps: []resource.TestStep{step}})
}

// testCertificate is a self-signed certificate for host, and its PEM to
// trust it.
func testCertificate(t *testing.T, host string) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
