// Comments and blank lines inside blocks, as containerd's go.mod has them.
module example.invalid/integration/client

go 1.19

require (
	github.com/containerd/cgroups v1.0.4
	// the actual version of containerd is replaced with the code at the root of this repository
	github.com/containerd/containerd v1.6.1

	github.com/urfave/cli v1.22.2 // indirect
)

// When updating replace rules, update the other go.mod files too
replace (
	github.com/containerd/containerd => ../../

	// urfave/cli must be <= v1.22.1 due to a regression
	github.com/urfave/cli => github.com/urfave/cli v1.22.1
)
