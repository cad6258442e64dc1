// Copy to src/jobservice/job/impl/replication/otcswr.go of a Harbor source
// tree: registers the Open Telekom Cloud SWR adapter in Harbor's jobservice,
// which runs the replication tasks. See harbor-integration/README.md.
package replication

import (
	// Registers the "opentelekomcloud-swr" adapter factory.
	_ "github.com/opentelekomcloud/swr-adapter/harbor-integration/otcswr"
)
