// Copy to src/pkg/reg/otcswr.go of a Harbor source tree: registers the Open
// Telekom Cloud SWR adapter in Harbor's core (endpoints, policies, health
// checks). See harbor-integration/README.md.
package reg

import (
	// Registers the "opentelekomcloud-swr" adapter factory.
	_ "github.com/opentelekomcloud/swr-adapter/harbor-integration/otcswr"
)
