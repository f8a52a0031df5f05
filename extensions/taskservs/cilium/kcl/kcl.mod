[package]
name = "cilium"
edition = "v0.9.0"
version = "1.14.0"
