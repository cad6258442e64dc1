// Package otcswr is the Harbor replication adapter for Open Telekom Cloud's
// SoftWare Repository for Container (SWR), provider type
// "opentelekomcloud-swr". Every operation goes through the SWR adapter
// library (libotcswr) by way of its Go binding; the package makes no HTTP
// request of its own. Importing it registers the adapter with Harbor.
//
// Endpoint: URL https://swr.<region>.otc.t-systems.com; Access ID
// "<regional project name>@<AK>" (e.g. "eu-de@AK..."); Access Secret the SK
// (a 64-hex long-term login key, or "temp:" + a temporary login password,
// also work, with fewer management operations).
package otcswr

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	liberrors "github.com/goharbor/harbor/src/lib/errors"
	"github.com/goharbor/harbor/src/lib/log"
	adp "github.com/goharbor/harbor/src/pkg/reg/adapter"
	"github.com/goharbor/harbor/src/pkg/reg/model"
)

// AdapterType is the provider type; the same string as the earlier OTC
// fork's, so its endpoints keep working.
const AdapterType = "opentelekomcloud-swr"

// DisplayName is what Harbor's portal should show (its ADAPTERS_MAP).
const DisplayName = "Open Telekom Cloud SWR"

// credentialHelp says what the endpoint's credentials must be.
const credentialHelp = "the Access ID must be '<regional project name>@<AK>' (e.g. 'eu-de@AKEXAMPLE0123456789') " +
	"and the Access Secret the SK (a 64-hex long-term login key, or 'temp:' followed by a temporary login " +
	"password, also work)"

// The OTC regions with SWR. eu-ch2 is Switzerland's separate cloud.
var regions = []struct{ name, url string }{
	{"eu-de (Germany)", "https://swr.eu-de.otc.t-systems.com"},
	{"eu-nl (Netherlands)", "https://swr.eu-nl.otc.t-systems.com"},
	{"eu-ch2 (Switzerland)", "https://swr.eu-ch2.sc.otc.t-systems.com"},
}

func init() {
	if err := adp.RegisterFactory(AdapterType, factory{}); err != nil {
		log.Errorf("failed to register the adapter factory for %s: %v", AdapterType, err)
		return
	}
	log.Infof("the adapter factory for %s registered", AdapterType)
}

type factory struct{}

var (
	_ adp.Factory          = factory{}
	_ adp.Adapter          = (*adapter)(nil)
	_ adp.ArtifactRegistry = (*adapter)(nil)
)

func (factory) Create(r *model.Registry) (adp.Adapter, error) { return newAdapter(r) }

// AdapterPattern offers the OTC regions. It has no credential pattern on
// purpose: any non-nil one makes Harbor's portal render the Access Secret as
// a plain-text "Json Secret" box (meant for GCR key files), showing the SK
// on screen; without one it stays a password field.
func (factory) AdapterPattern() *model.AdapterPattern {
	endpoints := make([]*model.Endpoint, 0, len(regions))
	for _, r := range regions {
		endpoints = append(endpoints, &model.Endpoint{Key: r.name, Value: r.url})
	}
	return &model.AdapterPattern{
		EndpointPattern: &model.EndpointPattern{EndpointType: model.EndpointPatternTypeList, Endpoints: endpoints},
	}
}

// adapter is one Harbor endpoint of this type.
type adapter struct {
	registry *model.Registry
	conn     *connection
}

func newAdapter(r *model.Registry) (*adapter, error) {
	if r == nil {
		return nil, errors.New("no registry given")
	}
	// Harbor's API answers an error with a code by its HTTP status; without
	// one, creating or testing such an endpoint ends in a 500.
	if r.Credential == nil || r.Credential.AccessKey == "" || r.Credential.AccessSecret == "" {
		return nil, liberrors.Errorf("%s: the endpoint has no credentials: %s", DisplayName, credentialHelp).
			WithCode(liberrors.BadRequestCode)
	}
	if !strings.Contains(r.Credential.AccessKey, "@") {
		return nil, liberrors.Errorf("%s: the Access ID has no '@': %s", DisplayName, credentialHelp).
			WithCode(liberrors.BadRequestCode)
	}
	conn, err := connect(r.URL, r.Credential.AccessKey, r.Credential.AccessSecret, r.Insecure, caCertificate(r))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", DisplayName, err)
	}
	return &adapter{registry: r, conn: conn}, nil
}

// caCertificate reads Registry.CACertificate, which Harbor has since v2.15
// (by name, so that the same source builds against older Harbors).
func caCertificate(r *model.Registry) string {
	f := reflect.ValueOf(r).Elem().FieldByName("CACertificate")
	if f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

// Info: images, name and tag filters, manual and scheduled triggers, copy by
// chunk (on Harbors that have it), and SWR's <organization>/<repository> names.
func (a *adapter) Info() (*model.RegistryInfo, error) {
	info := &model.RegistryInfo{
		Type:                   AdapterType,
		Description:            "Adapter for " + DisplayName + " (SoftWare Repository for Container)",
		SupportedResourceTypes: []string{model.ResourceTypeImage},
		SupportedResourceFilters: []*model.FilterStyle{
			{Type: model.FilterTypeName, Style: model.FilterStyleTypeText},
			{Type: model.FilterTypeTag, Style: model.FilterStyleTypeText},
		},
		SupportedTriggers:                    []string{model.TriggerTypeManual, model.TriggerTypeScheduled},
		SupportedRepositoryPathComponentType: model.RepositoryPathComponentTypeAtLeastTwo,
	}
	if f := reflect.ValueOf(info).Elem().FieldByName("SupportedCopyByChunk"); f.IsValid() && f.Kind() == reflect.Bool {
		f.SetBool(true)
	}
	return info, nil
}

// HealthCheck authenticates at the registry and makes one management call
// (signed with the SK, or the legacy path with a login key). Unhealthy, with
// the reason in Harbor's log (never a secret), when either fails.
func (a *adapter) HealthCheck() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := a.conn.registry.Ping(ctx); err != nil {
		log.Errorf("%s %s is unhealthy: %s: %v", DisplayName, a.registry.URL, unhealthyBecause("the registry", err), err)
		return model.Unhealthy, nil
	}
	if _, err := a.conn.client.ListOrganizations(ctx); err != nil {
		log.Errorf("%s %s is unhealthy: %s: %v", DisplayName, a.registry.URL,
			unhealthyBecause("the management API", err), err)
		return model.Unhealthy, nil
	}
	return model.Healthy, nil
}

// PrepareForPush creates each missing organization (the first component of
// every destination repository) once; one that exists is fine.
func (a *adapter) PrepareForPush(resources []*model.Resource) error {
	orgs := map[string]bool{}
	for _, r := range resources {
		if r == nil || r.Metadata == nil || r.Metadata.Repository == nil || r.Deleted {
			continue
		}
		name := r.Metadata.Repository.Name
		org, rest, ok := strings.Cut(name, "/")
		if !ok || org == "" || rest == "" {
			return fmt.Errorf("%s needs '<organization>/<repository>', got %q: set a destination namespace in the "+
				"replication rule", DisplayName, name)
		}
		orgs[org] = true
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(orgs))
	for org := range orgs {
		wg.Add(1)
		go func(org string) {
			defer wg.Done()
			if err := a.conn.ensureOrganization(org); err != nil {
				errs <- fmt.Errorf("create the organization %s: %w", org, err)
			}
		}(org)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return harborError(err)
	}
	return nil
}
