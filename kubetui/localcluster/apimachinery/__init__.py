"""k8s.io/apimachinery's part: errors and causes, selectors, names, patches and managed fields,
decoding checks, protobuf, the cluster clock."""
