[package]
name = "containerd"
edition = "v0.9.0"
version = "1.7.0"
