// blobcopy: the Go binding's blob path for `make bench`: one blob copied
// registry to registry by io.Copy from the binding's reader into its writer.
//
//	blobcopy SRC_URL SRC_REPO DIGEST DST_URL DST_REPO
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
)

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: blobcopy SRC_URL SRC_REPO DIGEST DST_URL DST_REPO")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]); err != nil {
		fmt.Fprintln(os.Stderr, "blobcopy:", err)
		os.Exit(1)
	}
}

func run(srcURL, srcRepo, digest, dstURL, dstRepo string) error {
	ctx := context.Background()
	src, err := swr.NewRegistry(swr.RegistryOptions{URL: srcURL})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := swr.NewRegistry(swr.RegistryOptions{URL: dstURL})
	if err != nil {
		return err
	}
	defer dst.Close()
	r, err := src.OpenBlob(ctx, srcRepo, digest, 0, -1)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := dst.CreateBlob(ctx, dstRepo, digest, r.Size())
	if err != nil {
		return err
	}
	defer w.Close()
	if _, err := io.CopyBuffer(w, r, make([]byte, 1<<20)); err != nil {
		return err
	}
	return w.Commit()
}
