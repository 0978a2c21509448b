package atlas

import (
	"net"
	"regexp"
	"time"
)

// AuthMode is how requests prove who they come from.
type AuthMode int

const (
	// AuthAPIKey signs every request with HTTP digest (programmatic API key).
	AuthAPIKey AuthMode = iota + 1
	// AuthServiceAccount exchanges a client id and secret for a bearer token
	// (OAuth 2 client credentials) and reuses it until shortly before expiry.
	AuthServiceAccount
	// AuthAccessToken sends a bearer token the user already holds.
	AuthAccessToken
)

// String names the mode the way the documentation does.
func (m AuthMode) String() string {
	switch m {
	case AuthAPIKey:
		return "API key (HTTP digest)"
	case AuthServiceAccount:
		return "service account (OAuth 2 client credentials)"
	case AuthAccessToken:
		return "access token (bearer)"
	default:
		return "no authentication"
	}
}

// Defaults shared by the provider schema and the client.
const (
	DefaultBaseURL        = "https://cloud.mongodb.com"
	DefaultRequestTimeout = 60 * time.Second
	DefaultMaxRetries     = 4
)

// Config is everything the client needs, already resolved from provider
// attributes and environment variables.
type Config struct {
	BaseURL string
	Mode    AuthMode

	PublicKey, PrivateKey  string
	ClientID, ClientSecret string
	AccessToken            string

	// CredentialSource says where the credentials came from (attribute or
	// environment variable names), for the caller's messages. Never a secret.
	CredentialSource string
	// resolver replaces the system's name resolver; tests set it.
	resolver *net.Resolver

	// BaseURLSource says where BaseURL came from (attribute, environment
	// variable or default), for the facts of a failure.
	BaseURLSource string

	UserAgent      string
	RequestTimeout time.Duration // per HTTP attempt
	MaxRetries     int

	// RetryWaitMin and RetryWaitMax bound the backoff between attempts;
	// zero means the defaults. Tests shorten them.
	RetryWaitMin, RetryWaitMax time.Duration
}

// Principal identifies the credentials without revealing a secret. An id is
// shown only when it has the shape of one (IsPublicKey, IsClientID):
// anything else may be a secret in the wrong place, and is described. It is
// a noun phrase with no parentheses or commas, so that a message can put it
// anywhere, in parentheses too.
func (c Config) Principal() string {
	switch c.Mode {
	case AuthAPIKey:
		if IsPublicKey(c.PublicKey) {
			return "public key " + quote(c.PublicKey)
		}
		return "a public key not shown because it is not " + PublicKeyShape
	case AuthServiceAccount:
		if IsClientID(c.ClientID) {
			return "client id " + quote(c.ClientID)
		}
		return "a client id not shown because it is not " + ClientIDShape
	case AuthAccessToken:
		return "an access token"
	default:
		return "no credentials"
	}
}

// The shapes of Atlas's public identifiers, for messages.
const (
	PublicKeyShape = "8 lower-case letters"
	ClientIDShape  = "mdb_sa_id_ followed by 24 hexadecimal digits"
)

var (
	publicKeyRE = regexp.MustCompile(`^[a-z]{8}$`)
	clientIDRE  = regexp.MustCompile(`^mdb_sa_id_[0-9a-f]{24}$`)
)

// IsPublicKey says whether s has the shape of an Atlas API public key, the
// only shape of public_key a message may repeat.
func IsPublicKey(s string) bool { return publicKeyRE.MatchString(s) }

// IsClientID says whether s has the shape of a service account client id,
// the only shape of client_id a message may repeat.
func IsClientID(s string) bool { return clientIDRE.MatchString(s) }

// secrets lists the values logging must never show.
func (c Config) secrets() []string {
	var out []string
	for _, s := range []string{c.PrivateKey, c.ClientSecret, c.AccessToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func quote(s string) string { return "\"" + s + "\"" }
