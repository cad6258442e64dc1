// swr-emulator: a test double for Open Telekom Cloud SWR, faithful to the
// documented protocol (AK/SK-signed management API, legacy dockyard paths,
// the registry token endpoint). Standard library only; binds 127.0.0.1.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func selfSignedTLS(caOut string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "swr-emulator"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(caOut, certPEM, 0o644); err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback only); with -api-listen, the registry host only")
	apiListen := flag.String("api-listen", "", "serve the management API (swr-api.<region>) on its own address, as SWR does; "+
		"the -addr-file then has a second line with its URL")
	credFile := flag.String("credentials", "", `JSON file {"users":[{"project","project_id","ak","sk"}]}`)
	ak := flag.String("ak", "", "access key of the single user (instead of -credentials)")
	sk := flag.String("sk", "", "secret key of the single user")
	project := flag.String("project", "eu-de", "project name of the single user")
	projectID := flag.String("project-id", "", "project id of the single user")
	addrFile := flag.String("addr-file", "", "write the base URL here once listening")
	tlsCA := flag.String("tls-ca-out", "", "serve HTTPS with a fresh self-signed certificate and write it (PEM) here")
	tokenTTL := flag.Duration("token-ttl", 900*time.Second, "lifetime of registry bearer tokens")
	backend := flag.String("registry-backend", "", "URL of the real registry behind the registry API (e.g. http://127.0.0.1:5000)")
	acceptOCIIndex := flag.Bool("accept-oci-index", false, "turn off SWR's quirk of rejecting OCI image indexes")
	rateLimit := flag.Int("rate-limit", 0, "registry requests per second and account before 503 (0: no limit; SWR: 20)")
	noMount := flag.Bool("no-cross-repo-mount", false, "decline every cross-repository mount (202, upload instead)")
	tempTTL := flag.Duration("temp-login-ttl", 6*time.Hour, "lifetime of temporary docker logins")
	lockAfter := flag.Int("login-lockout", 0, "refuse every login of a user name for -login-lockout-for after this "+
		"many failed logins within 10 minutes, as SWR does (0: off)")
	lockFor := flag.Duration("login-lockout-for", 30*time.Minute, "how long a locked-out user name stays refused")
	foreignOrg := flag.String("foreign-org", "401", "how a GET of another account's organization is answered: "+
		"401 (SWR's cross-account error SVCSTG.SWR.4011064), 403 (SVCSTG.SWR.4039001) or 404")
	flag.Parse()

	var users *userStore
	switch {
	case *credFile != "":
		var err error
		if users, err = loadUsers(*credFile); err != nil {
			log.Fatalf("credentials: %v", err)
		}
	case *ak != "" && *sk != "":
		users = &userStore{users: []*user{{Project: *project, ProjectID: *projectID, AK: *ak, SK: *sk}}}
	default:
		log.Fatal("give -credentials FILE or -ak and -sk")
	}
	for _, addr := range []string{*listen, *apiListen} {
		if addr == "" {
			continue
		}
		host, _, err := net.SplitHostPort(addr)
		if err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
			log.Fatalf("-listen and -api-listen must be loopback addresses, got %q", addr)
		}
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	emu := newEmulator(users)
	emu.tokenTTL = *tokenTTL
	emu.tempTTL = *tempTTL
	if *foreignOrg != "401" && *foreignOrg != "403" && *foreignOrg != "404" {
		log.Fatalf("-foreign-org must be 401, 403 or 404, got %q", *foreignOrg)
	}
	emu.foreignOrg = *foreignOrg
	emu.lockAfter = *lockAfter
	emu.lockFor = *lockFor
	if *backend != "" {
		front, err := newRegistryFront(emu, *backend)
		if err != nil {
			log.Fatalf("-registry-backend: %v", err)
		}
		front.quirks = quirks{RejectOCIIndex: !*acceptOCIIndex, RateLimit: *rateLimit, NoMount: *noMount}
		emu.registry = front
	}
	registryRole := bothOrigins
	var apiLn net.Listener
	if *apiListen != "" {
		registryRole = registryOrigin
		if apiLn, err = net.Listen("tcp", *apiListen); err != nil {
			log.Fatal(err)
		}
	}
	srv := &http.Server{Handler: emu.handler(registryRole), ReadHeaderTimeout: 30 * time.Second}
	apiSrv := &http.Server{Handler: emu.handler(apiOrigin), ReadHeaderTimeout: 30 * time.Second}
	scheme := "http"
	if *tlsCA != "" {
		cfg, err := selfSignedTLS(*tlsCA)
		if err != nil {
			log.Fatal(err)
		}
		srv.TLSConfig = cfg
		ln = tls.NewListener(ln, cfg)
		if apiLn != nil {
			apiLn = tls.NewListener(apiLn, cfg)
		}
		scheme = "https"
	}
	base := fmt.Sprintf("%s://%s", scheme, ln.Addr().String())
	lines := base + "\n"
	if apiLn != nil {
		lines += fmt.Sprintf("%s://%s\n", scheme, apiLn.Addr().String())
		go func() {
			if err := apiSrv.Serve(apiLn); err != nil && err != http.ErrServerClosed {
				log.Fatal(err)
			}
		}()
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile+".tmp", []byte(lines), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("swr-emulator listening on %s\n", base)
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
		<-ch
		_ = apiSrv.Close()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
