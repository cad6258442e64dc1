// Command bench-harbor is one side of the Harbor benchmark
// (tests/bench/harbor.sh, `make bench-harbor`): Harbor's image transfer
// replicates repositories from a plain registry into the SWR emulator,
// through Harbor's native docker-registry adapter or through ours, with a
// pool of workers as Harbor's jobservice runs replication tasks. It prints
// one JSON line: the transfers' wall time and the process's peak RSS.
//
//	bench-harbor -adapter native|otcswr -src URL -dst URL -ak AK -sk SK -project P -repos a/b:tag,...
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/goharbor/harbor/src/pkg/reg/model"

	_ "github.com/goharbor/harbor/src/pkg/reg/adapter/native" // Harbor's reference adapter

	"github.com/opentelekomcloud/swr-adapter/harbor-integration/internal/harbortransfer"
	"github.com/opentelekomcloud/swr-adapter/harbor-integration/otcswr"
	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
)

// quietLog is the tasks' logger: errors only, on stderr.
type quietLog struct{}

func (quietLog) Debug(...interface{})            {}
func (quietLog) Debugf(string, ...interface{})   {}
func (quietLog) Info(...interface{})             {}
func (quietLog) Infof(string, ...interface{})    {}
func (quietLog) Warning(...interface{})          {}
func (quietLog) Warningf(string, ...interface{}) {}
func (quietLog) Error(v ...interface{})          { fmt.Fprintln(os.Stderr, v...) }
func (quietLog) Errorf(f string, v ...interface{}) {
	fmt.Fprintf(os.Stderr, f+"\n", v...)
}

func main() {
	which := flag.String("adapter", "otcswr", "native (Harbor's docker-registry adapter) or otcswr (ours)")
	src := flag.String("src", "", "source registry URL (plain)")
	dst := flag.String("dst", "", "the SWR emulator's URL")
	ak := flag.String("ak", "", "access key")
	skFile := flag.String("sk-file", "", "file holding the secret key")
	project := flag.String("project", "eu-de", "project name")
	repos := flag.String("repos", "", "comma-separated repo:tag list")
	workers := flag.Int("workers", 10, "concurrent tasks (Harbor's jobservice default: 10)")
	flag.Parse()
	if *src == "" || *dst == "" || *ak == "" || *skFile == "" || *repos == "" {
		flag.Usage()
		os.Exit(2)
	}
	skBytes, err := os.ReadFile(*skFile)
	if err != nil {
		fail(err)
	}
	sk := strings.TrimSpace(string(skBytes))

	var dstReg *model.Registry
	switch *which {
	case "otcswr":
		dstReg = &model.Registry{Type: otcswr.AdapterType, URL: *dst, Credential: &model.Credential{
			Type: model.CredentialTypeBasic, AccessKey: *project + "@" + *ak, AccessSecret: sk}}
	case "native":
		// What a user of the native adapter types: the docker login of SWR.
		key, err := swr.LoginKey(*ak, sk)
		if err != nil {
			fail(err)
		}
		dstReg = &model.Registry{Type: model.RegistryTypeDockerRegistry, URL: *dst, Insecure: true,
			Credential: &model.Credential{Type: model.CredentialTypeBasic, AccessKey: *project + "@" + *ak,
				AccessSecret: key}}
	default:
		fail(fmt.Errorf("unknown adapter %q", *which))
	}
	srcReg := &model.Registry{Type: model.RegistryTypeDockerRegistry, URL: *src, Insecure: true}

	var tasks [][2]*model.Resource
	orgs := map[string]bool{}
	for _, ref := range strings.Split(*repos, ",") {
		repo, tag, ok := strings.Cut(ref, ":")
		if !ok {
			fail(fmt.Errorf("%q is not repo:tag", ref))
		}
		org, _, _ := strings.Cut(repo, "/")
		orgs[org] = true
		res := func(r *model.Registry) *model.Resource {
			return &model.Resource{Type: model.ResourceTypeImage, Registry: r, Override: true,
				Metadata: &model.ResourceMetadata{Repository: &model.Repository{Name: repo},
					Artifacts: []*model.Artifact{{Tags: []string{tag}}}}}
		}
		tasks = append(tasks, [2]*model.Resource{res(srcReg), res(dstReg)})
	}

	// The organizations exist before the clock starts (Harbor's core
	// prepares them before it creates tasks).
	client, err := swr.NewClient(swr.ClientOptions{RegistryURL: *dst, AccessID: *project + "@" + *ak, AccessSecret: sk})
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	for org := range orgs {
		if err := client.EnsureOrganization(ctx, org); err != nil {
			fail(err)
		}
	}
	cancel()
	_ = client.Close()

	start := time.Now()
	queue := make(chan [2]*model.Resource)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range queue {
				if err := harbortransfer.Run(quietLog{}, t[0], t[1], harbortransfer.Options{}); err != nil {
					fmt.Fprintf(os.Stderr, "%s: %v\n", t[0].Metadata.Repository.Name, err)
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		}()
	}
	for _, t := range tasks {
		queue <- t
	}
	close(queue)
	wg.Wait()
	elapsed := time.Since(start)

	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	out, _ := json.Marshal(map[string]any{"adapter": *which, "seconds": elapsed.Seconds(),
		"max_rss_kib": ru.Maxrss, "tasks": len(tasks), "failed": failed})
	fmt.Println(string(out))
	if failed > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench-harbor:", err)
	os.Exit(2)
}
