{
  "targets": [
    {
      "target_name": "sceau_group",
      "sources": ["sceau_group.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-pthread"],
      "ldflags": ["-pthread"],
      "libraries": ["-lsodium"]
    }
  ]
}
