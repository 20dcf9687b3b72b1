"""kube-apiserver's validation of created and updated objects, worded as the real one words it."""
